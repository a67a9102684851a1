import type { LocalizedText } from '@gemeng/core';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A moment in life that brings citizens to the commune (moving, marriage, birth...): how the catalogue is grouped. */
@Entity({ schema: 'platform', name: 'life_event' })
export class LifeEventEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'jsonb' })
  names!: LocalizedText;

  @Column({ type: 'integer' })
  position!: number;
}
