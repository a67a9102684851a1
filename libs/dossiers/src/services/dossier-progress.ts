import { luxembourgDate } from '@gemeng/core';
import type { DossierStage, DossierTypeEntity } from '../entities/dossier-type.entity';
import type { DossierEntity } from '../entities/dossier.entity';

/** One stage of a dossier's type, and whether the dossier has got there. */
export interface StageProgress {
  stage: DossierStage;
  /** The dossier's stage or one before it. */
  reached: boolean;
  current: boolean;
}

/** The stages of the dossier's type, in order, with how far the dossier has come. */
export function stageProgress(
  type: Pick<DossierTypeEntity, 'stages'>,
  dossier: Pick<DossierEntity, 'stageCode'>,
): StageProgress[] {
  const at = type.stages.findIndex((s) => s.code === dossier.stageCode);
  return type.stages.map((stage, i) => ({ stage, reached: i <= at, current: i === at }));
}

/** Open past its due date, by the calendar in Luxembourg. */
export function isOverdue(dossier: Pick<DossierEntity, 'closedAt' | 'dueOn'>, today = luxembourgDate()): boolean {
  return !dossier.closedAt && dossier.dueOn < today;
}
