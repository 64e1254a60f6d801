import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectDesk } from './api/desk-client';
import { App } from './App';
import { DeskContext } from './hooks/useDesk';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <DeskContext value={connectDesk()}>
      <App />
    </DeskContext>
  </StrictMode>,
);
