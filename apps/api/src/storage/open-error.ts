/** A store that cannot open (unreachable database, a schema from a newer Busboard): the message says what to do. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}
