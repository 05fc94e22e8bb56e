import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { getApi } from './bridge/api';
import { StoreProvider } from './app/store-context';
import { connectEvents, createAppStore } from './store/app-store';
import './styles.css';

const api = getApi();
const store = createAppStore(api);
connectEvents(store, api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
