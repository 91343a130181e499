import { Link } from 'react-router';

export default function NotFoundPage() {
  return (
    <div className="panel">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. Back to the <Link to="/">dashboard</Link>.
      </p>
    </div>
  );
}
