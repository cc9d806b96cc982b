#ifndef P3_REF_VS_MUT_H
#define P3_REF_VS_MUT_H

typedef struct ar_data_s ar_data_t;

/**
 * Reads an integer data value, scaled.
 * @param ref_data The data to read
 * @param scale The factor
 * @return The scaled integer
 */
int ar_gauge__read_scaled(const ar_data_t *ref_data, int scale);

#endif /* P3_REF_VS_MUT_H */
