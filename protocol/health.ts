/**
 * GET /api/health: whether the server can do its work. Anyone (a load balancer, a monitor)
 * gets the verdict; the details that help an attacker (process ids, database error text)
 * only a caller on the machine itself or an admin.
 */
export interface HealthView {
  status: 'ok' | 'degraded';
  database: {
    ok: boolean;
    /** Details: `sqlite` or `postgres`. */
    dialect?: string;
    /** Details: why the database did not answer. */
    error?: string;
  };
  mediasoup: {
    count: number;
    alive: number;
    /** Details: each worker process. */
    workers?: { pid: number; alive: boolean }[];
  };
}
