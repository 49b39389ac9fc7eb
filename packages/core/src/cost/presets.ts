/**
 * The price book's presets: on-demand list prices of the three big clouds, read by hand (there is
 * no price API here) from each provider's public price pages. Every figure is the provider's list
 * price in USD as of `asOf`; prices move, so every place a preset is shown says its date and
 * "check your provider", and every figure can be overridden in the document's `cost`.
 *
 * Compute is priced per vCPU-hour and per GiB-hour, as GCP publishes for N2 (n2-standard-2 =
 * 2 × $0.031611 + 8 × $0.004237 = $0.097118 an hour). AWS and Azure publish per instance only:
 * their general-purpose 2-vCPU/8-GiB instance (m6i.large, D2s v5: $0.096 an hour) is split between
 * vCPU and memory in GCP's N2 ratio (a GiB-hour = 0.134 vCPU-hours): 2v + 8 × 0.134v = $0.096 →
 * v = $0.03125, GiB = $0.00419.
 */
import type { CostPresetName } from '../schema/cost.ts';

/** Hours in a month as the clouds bill them (8,760 h a year / 12). */
export const HOURS_PER_MONTH = 730;
/** Bytes in a GB as the clouds bill transfer and storage (decimal). */
export const BYTES_PER_GB = 1e9;
/** The preset a document without `cost.preset` uses. */
export const DEFAULT_PRESET: CostPresetName = 'aws-us-east-1';

export interface PricePreset {
  name: CostPresetName;
  /** What a user reads: provider and region. */
  label: string;
  /** The month the figures were read, YYYY-MM. */
  asOf: string;
  currency: string;
  vcpuHour: number;
  gibHour: number;
  natsServerHour: number;
  storageGBMonth: number;
  crossZonePerGB: number;
  crossRegionPerGB: number;
  requestBytes: number;
  responseBytes: number;
  /** Where each figure comes from, in words (shown beside the preset). */
  source: string;
}

const AS_OF = '2024-06';
/** A typical JSON call: a 1 KiB request and a 4 KiB response (headers included). Set yours. */
const PAYLOAD = { requestBytes: 1024, responseBytes: 4096 };

export const PRICE_PRESETS: Record<CostPresetName, PricePreset> = {
  'aws-us-east-1': {
    name: 'aws-us-east-1',
    label: 'AWS us-east-1',
    asOf: AS_OF,
    currency: 'USD',
    vcpuHour: 0.03125,
    gibHour: 0.00419,
    natsServerHour: 0.096,
    storageGBMonth: 0.08,
    crossZonePerGB: 0.02,
    crossRegionPerGB: 0.02,
    ...PAYLOAD,
    source:
      'm6i.large on-demand Linux $0.096/h (2 vCPU, 8 GiB) split in GCP N2’s vCPU:GiB ratio; one m6i.large per NATS server; ' +
      'gp3 $0.08/GB-month; between AZs $0.01/GB out + $0.01/GB in; between US regions $0.02/GB',
  },
  'gcp-us-central1': {
    name: 'gcp-us-central1',
    label: 'GCP us-central1',
    asOf: AS_OF,
    currency: 'USD',
    vcpuHour: 0.031611,
    gibHour: 0.004237,
    natsServerHour: 0.097118,
    storageGBMonth: 0.1,
    crossZonePerGB: 0.01,
    crossRegionPerGB: 0.02,
    ...PAYLOAD,
    source:
      'N2 on-demand $0.031611 per vCPU-hour and $0.004237 per GB-hour; one n2-standard-2 ($0.097118/h) per NATS server; ' +
      'pd-balanced $0.10/GB-month; between zones of a region $0.01/GB; between North American regions $0.02/GB',
  },
  'azure-eastus': {
    name: 'azure-eastus',
    label: 'Azure East US',
    asOf: AS_OF,
    currency: 'USD',
    vcpuHour: 0.03125,
    gibHour: 0.00419,
    natsServerHour: 0.096,
    storageGBMonth: 0.08,
    crossZonePerGB: 0,
    crossRegionPerGB: 0.02,
    ...PAYLOAD,
    source:
      'D2s v5 pay-as-you-go Linux $0.096/h (2 vCPU, 8 GiB) split in GCP N2’s vCPU:GiB ratio; one D2s v5 per NATS server; ' +
      'Premium SSD v2 about $0.08/GB-month; transfer between availability zones not billed (Microsoft, 2024); between North American regions $0.02/GB',
  },
};

/** The words every display of a preset carries. */
export function presetNotice(p: PricePreset): string {
  return `${p.label}: list prices as of ${p.asOf}; check your provider`;
}
