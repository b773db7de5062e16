import type { Actor } from '../core/invocation';
import { UserError } from '../core/user-error';
import { deleteVacation, endVacation, findLatestVacation, insertVacation } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { addDays, type LocalDate, localDateOf } from '../domain/local-date';
import { memberCalendar } from '../domain/member';
import { MAX_VACATION_DAYS, vacationEnd } from '../domain/streak';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';
import type { StreakService } from './streak-service';

export type VacationOutcome =
  | { action: 'started'; start: LocalDate; endsBy: LocalDate }
  | { action: 'ended'; start: LocalDate; end: LocalDate }
  | { action: 'cancelled' };

/** Vacations pause a streak: days in them neither count nor break it. */
export class VacationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
    private readonly streaks: StreakService,
  ) {}

  async start(group: Group, actor: Actor): Promise<VacationOutcome> {
    return this.deps.db.transaction().execute(async (trx): Promise<VacationOutcome> => {
      const { member } = await this.members.ensure(group, actor, trx);
      const today = localDateOf(this.deps.clock.now(), memberCalendar(member, group.timezone));
      const latest = await findLatestVacation(trx, member.id);
      if (latest && vacationEnd({ start: latest.start_date, end: latest.end_date }) >= today)
        throw new UserError('conflict', `You're already on vacation (since ${latest.start_date}). End it with /vacation end.`);
      await insertVacation(trx, member.id, today, this.deps.clock.now());
      await this.streaks.recompute(trx, member);
      return { action: 'started', start: today, endsBy: addDays(today, MAX_VACATION_DAYS - 1) };
    });
  }

  /** Ends the vacation: yesterday was its last day, so today counts again. */
  async end(group: Group, actor: Actor): Promise<VacationOutcome> {
    return this.deps.db.transaction().execute(async (trx): Promise<VacationOutcome> => {
      const member = await this.members.find(group, actor, trx);
      const today = member && localDateOf(this.deps.clock.now(), memberCalendar(member, group.timezone));
      const latest = member && (await findLatestVacation(trx, member.id));
      if (!member || !today || !latest || vacationEnd({ start: latest.start_date, end: latest.end_date }) < today)
        throw new UserError('not_found', "You're not on vacation. Start one with /vacation start.");
      let outcome: VacationOutcome;
      if (latest.start_date >= today) {
        await deleteVacation(trx, latest.id);
        outcome = { action: 'cancelled' };
      } else {
        const end = addDays(today, -1);
        await endVacation(trx, latest.id, end);
        outcome = { action: 'ended', start: latest.start_date, end };
      }
      await this.streaks.recompute(trx, member);
      return outcome;
    });
  }
}
