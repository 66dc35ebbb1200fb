// Runs before the app's module so the right theme shows from the first
// paint. A file of its own because the Content-Security-Policy allows no
// inline scripts. The app keeps `data-theme` current afterwards.
try {
  const choice = localStorage.getItem('mosaic.theme');
  const system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme =
    choice === 'light' || choice === 'dark' ? choice : system;
} catch {
  // Storage may be unavailable (private modes); the light theme applies.
}
