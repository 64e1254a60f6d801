import { createContext, useContext, useEffect, useEffectEvent } from 'react';
import type { EventName, EventPayload } from '../../../shared/api';
import type { DeskClient } from '../api/desk-client';

export const DeskContext = createContext<DeskClient | null>(null);

export function useDesk(): DeskClient {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk() needs a <DeskContext> above it.');
  return desk;
}

/** Calls `listener` for every `event` the core pushes while the component is mounted. */
export function useDeskEvent<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): void {
  const desk = useDesk();
  const onEvent = useEffectEvent(listener);
  useEffect(() => desk.on(event, (payload) => onEvent(payload)), [desk, event]);
}
