import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectDesk } from './api/desk-client';
import { Announcer } from './Announcer';
import { App } from './App';
import { DeskContext } from './hooks/useDesk';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <DeskContext value={connectDesk()}>
      <Announcer>
        <App />
      </Announcer>
    </DeskContext>
  </StrictMode>,
);
