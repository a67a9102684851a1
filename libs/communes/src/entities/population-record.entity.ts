import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A commune's number of inhabitants at a date, with where the figure comes from. */
@Entity({ schema: 'platform', name: 'population_record' })
export class PopulationRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId!: string;

  @Column({ name: 'reference_date', type: 'date' })
  referenceDate!: string;

  @Column({ type: 'integer' })
  inhabitants!: number;

  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
