import type { ScheduledWindow } from '../../domain/availability/service-windows';
import type { BusinessCalendar } from '../../domain/calendar/business-calendar';

export function serviceWindowView(window: ScheduledWindow, calendar: BusinessCalendar) {
  return {
    id: window.id,
    start: calendar.iso(window.start),
    end: calendar.iso(window.end),
    reason: window.reason,
    targets: window.targets ?? null,
    retroactive: window.retroactive,
    noticeMinutes: window.noticeMinutes,
    createdAt: calendar.iso(window.createdAt),
    createdBy: window.createdBy,
  };
}
