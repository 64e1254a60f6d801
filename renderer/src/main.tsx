import { createRoot } from 'react-dom/client';
import { connectDesk } from './api/desk-client';

const desk = connectDesk();
function App() {
  return <h1>Campaign Desk</h1>;
}
void desk;
createRoot(document.getElementById('root') as HTMLElement).render(<App />);
