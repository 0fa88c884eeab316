/* Line icons drawn inline (no icon font, no network). 16 px, currentColor. */
const paths: Record<string, string> = {
  settings:
    'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5ZM2.5 8c0-.4 0-.8.1-1.1l-1.4-1.1 1.4-2.4 1.7.6c.6-.5 1.2-.9 2-1.1L6.6 1h2.8l.3 1.9c.7.2 1.4.6 2 1.1l1.7-.6 1.4 2.4-1.4 1.1c.1.4.1.7.1 1.1s0 .8-.1 1.1l1.4 1.1-1.4 2.4-1.7-.6c-.6.5-1.2.9-2 1.1L9.4 15H6.6l-.3-1.9c-.7-.2-1.4-.6-2-1.1l-1.7.6-1.4-2.4 1.4-1.1c-.1-.3-.1-.7-.1-1.1Z',
  accounts: 'M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm-5.5 6.5c.4-2.6 2.7-4.5 5.5-4.5s5.1 1.9 5.5 4.5',
  inventory: 'M2 4.5 8 1.5l6 3v7l-6 3-6-3v-7Zm0 0 6 3 6-3M8 7.5v7',
  plans: 'M4 1.5h6l3 3v10H4v-13Zm6 0v3h3M6 8h5M6 10.5h5M6 5.5h2',
  runs: 'M1.5 2.5h4v11h-4zM6.5 2.5h4v7h-4zM11.5 2.5h3v4h-3z',
  history: 'M8 4v4l2.5 1.5M1.8 6.5A6.5 6.5 0 1 1 2 10M1.5 2.5v4h4',
  help: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13ZM6.2 6a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1V9.5M8 11.5v.5',
  external: 'M9 2.5h4.5V7M13.5 2.5 7 9M11.5 9.5v4h-9v-9h4',
};

export function Icon({
  name,
  className,
}: {
  name: keyof typeof paths | string;
  className?: string;
}) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={paths[name] ?? ''} />
    </svg>
  );
}
