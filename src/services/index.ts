import { DataRightsService } from './data-rights-service';
import { GroupService } from './group-service';
import { LogService } from './log-service';
import { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';
import { StreakService } from './streak-service';
import { VacationService } from './vacation-service';

export type { ServiceDeps } from './service-deps';

export interface Services {
  groups: GroupService;
  members: MemberService;
  streaks: StreakService;
  logs: LogService;
  vacations: VacationService;
  dataRights: DataRightsService;
}

export function createServices(deps: ServiceDeps): Services {
  const groups = new GroupService(deps);
  const streaks = new StreakService(deps);
  const members = new MemberService(deps, streaks);
  return {
    groups,
    members,
    streaks,
    logs: new LogService(deps, members, streaks),
    vacations: new VacationService(deps, members, streaks),
    dataRights: new DataRightsService(deps),
  };
}
