// Why `openprem start` could not listen, naming the variables to change. null: an error of another kind.
export function explainListenError(error: unknown, host: string, port: number): string | null {
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (WA_HOST=${host}, WA_PORT=${port}): stop the process that holds it, or set WA_PORT to a free port`;
    case 'EACCES':
      return `not allowed to listen on port ${port} (WA_PORT=${port}): ports below 1024 need privileges; choose 1024 or above`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (WA_HOST=${host}): use one of its addresses, or 0.0.0.0 for all of them`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} cannot be resolved (WA_HOST=${host}): use an address or a name this machine resolves`;
    default:
      return null;
  }
}
