/** Who is acting: a logged-in user, or the server itself (calls, jobs, intake). */
export interface Actor {
  /** username, or 'system:<part>' for the server's own work */
  name: string;
  role: 'operator' | 'street_seat' | 'department' | 'supervisor' | 'inspector' | 'admin' | 'integration' | 'quality' | 'system';
  userId?: number;
  street?: string | null;
  departmentId?: string | null;
  seatId?: string | null;
}

export function systemActor(part: string): Actor {
  return { name: `system:${part}`, role: 'system' };
}
