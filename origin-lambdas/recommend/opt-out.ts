/** The model version reported for opted-out subjects: non-personal lists, nothing from their history. */
export const OPTED_OUT_MODEL = 'opted-out-popular';
