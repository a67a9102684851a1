import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CommuneEntity } from './commune.entity';

export type DomainKind = 'subdomain' | 'custom';

@Entity({ schema: 'platform', name: 'commune_domain' })
export class CommuneDomainEntity {
  /** For a subdomain, the label alone (`esch`); for a custom domain, the full host name. */
  @PrimaryColumn({ type: 'text' })
  host!: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId!: string;

  @ManyToOne(() => CommuneEntity, (commune) => commune.domains, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'commune_id' })
  commune!: Relation<CommuneEntity>;

  @Column({ type: 'text' })
  kind!: DomainKind;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
