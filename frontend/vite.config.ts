import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev`: the console on http://localhost:5173/ui/, with /api/* proxied to the Manager
// (VITE_PROXY_TARGET, default http://localhost:8000; the prefix is stripped like the Manager does).
// `npm run build`: dist/ for the base path /ui/, which the Manager serves (src/http/ui.ts).
export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), 'VITE_'), ...process.env };
  const target = env.VITE_PROXY_TARGET || 'http://localhost:8000';
  return {
    base: '/ui/',
    plugins: [react()],
    server: {
      port: 5173,
      strictPort: true,
      proxy: {
        '/api': { target, changeOrigin: true, rewrite: (path) => path.replace(/^\/api/, '') || '/' },
      },
    },
    build: { outDir: 'dist', emptyOutDir: true },
  };
});
