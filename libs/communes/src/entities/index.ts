import { CommuneDomainEntity } from './commune-domain.entity';
import { CommuneEntity } from './commune.entity';
import { PopulationRecordEntity } from './population-record.entity';

export const communeEntities = [CommuneEntity, CommuneDomainEntity, PopulationRecordEntity];
export { CommuneDomainEntity, CommuneEntity, PopulationRecordEntity };
export type * from './commune.entity';
