// The app's routes are paths under /ui/ (maasd answers index.html for each), moved between with the History API.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/ui/';

export function currentRoute() {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

export function navigate(path) {
  history.pushState(null, '', BASE + path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

// A link that navigates in the app (a real <a>, so keyboard, middle-click and "open in new tab" work).
export function Link({ to, children, ...props }) {
  const onClick = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...props}>{children}</a>;
}
