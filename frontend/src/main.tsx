import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { createApiClient, DEFAULT_API_BASE } from './api/client';
import { createTokenStore, sessionStorageOrNull } from './api/token-store';
import { AppProviders, createQueryClient } from './app/AppProviders';
import { routes } from './app/routes';
import './styles/global.css';

const tokens = createTokenStore(sessionStorageOrNull());
const api = createApiClient({ baseUrl: import.meta.env.VITE_API_BASE || DEFAULT_API_BASE, tokens });
// BASE_URL is Vite's `base` (/ui/): the router works below it.
const router = createBrowserRouter(routes, { basename: import.meta.env.BASE_URL.replace(/\/$/, '') || '/' });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <AppProviders api={api} tokens={tokens} queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
