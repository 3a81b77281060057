<?php
/**
 * A rule's measured lift, from the `lift` object of GET /v1/admin/stats.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads one rule's holdout experiment: {"holdoutPercent","treated":{"orders","conversions",
 * "conversionRate","revenue"},"control":{…},"absoluteLift":{"estimate","low","high"}|null,
 * "relativeLift":…,"incrementalRevenue":{"PLN":"9.95"}|null,"enoughData","minSamplePerGroup"}.
 * Rates and lifts are fractions (0.05 = 5 %); amounts are decimal strings.
 */
class Encore_Lift {

	/**
	 * The lift of a rule as the funnel shows it, or null when the rule holds no orders out.
	 *
	 * @param mixed $lift The rule's `lift` value.
	 * @return array|null {holdout: float, treated_orders: int, control_orders: int, treated_rate: float|null,
	 *                    control_rate: float|null, absolute: array{estimate: float, low: float, high: float}|null,
	 *                    incremental: array<string, string>, enough: bool, min_sample: int}
	 */
	public static function from_answer( $lift ) {
		if ( ! is_array( $lift ) || ! isset( $lift['holdoutPercent'] ) || ! is_numeric( $lift['holdoutPercent'] ) || (float) $lift['holdoutPercent'] <= 0 ) {
			return null;
		}
		$group = function ( $name ) use ( $lift ) {
			return isset( $lift[ $name ] ) && is_array( $lift[ $name ] ) ? $lift[ $name ] : array();
		};
		$int   = function ( $data, $key ) {
			return isset( $data[ $key ] ) && is_numeric( $data[ $key ] ) ? (int) $data[ $key ] : 0;
		};
		$rate  = function ( $data ) {
			return isset( $data['conversionRate'] ) && is_numeric( $data['conversionRate'] ) ? (float) $data['conversionRate'] : null;
		};
		return array(
			'holdout'        => (float) $lift['holdoutPercent'],
			'treated_orders' => $int( $group( 'treated' ), 'orders' ),
			'control_orders' => $int( $group( 'control' ), 'orders' ),
			'treated_rate'   => $rate( $group( 'treated' ) ),
			'control_rate'   => $rate( $group( 'control' ) ),
			'absolute'       => self::estimate( isset( $lift['absoluteLift'] ) ? $lift['absoluteLift'] : null ),
			'incremental'    => self::amounts( isset( $lift['incrementalRevenue'] ) ? $lift['incrementalRevenue'] : null ),
			'enough'         => ! empty( $lift['enoughData'] ),
			'min_sample'     => isset( $lift['minSamplePerGroup'] ) && is_numeric( $lift['minSamplePerGroup'] ) ? (int) $lift['minSamplePerGroup'] : 100,
		);
	}

	/**
	 * An estimate with its interval, or null when any part is missing.
	 *
	 * @param mixed $value {estimate, low, high}.
	 * @return array|null
	 */
	private static function estimate( $value ) {
		if ( ! is_array( $value ) ) {
			return null;
		}
		foreach ( array( 'estimate', 'low', 'high' ) as $key ) {
			if ( ! isset( $value[ $key ] ) || ! is_numeric( $value[ $key ] ) ) {
				return null;
			}
		}
		return array(
			'estimate' => (float) $value['estimate'],
			'low'      => (float) $value['low'],
			'high'     => (float) $value['high'],
		);
	}

	/**
	 * Decimal amounts per currency, sorted; anything else left out.
	 *
	 * @param mixed $value Currency => decimal string.
	 * @return array<string, string>
	 */
	private static function amounts( $value ) {
		$out = array();
		foreach ( is_array( $value ) ? $value : array() as $currency => $amount ) {
			if ( is_string( $currency ) && is_scalar( $amount ) && Encore_Stats::is_decimal( (string) $amount ) ) {
				$out[ $currency ] = (string) $amount;
			}
		}
		ksort( $out );
		return $out;
	}

	/**
	 * The funnel rows of rules that hold orders out, in their order.
	 *
	 * @param array[] $rows Rows from Encore_Stats::rows().
	 * @return array[]
	 */
	public static function rows_with_lift( $rows ) {
		return array_values(
			array_filter(
				$rows,
				function ( $row ) {
					return isset( $row['lift'] ) && null !== $row['lift'];
				}
			)
		);
	}

	/**
	 * A conversion rate as a percentage with one decimal ("12.5%"), or "—" without orders.
	 *
	 * @param float|null $rate Fraction.
	 * @return string
	 */
	public static function rate_label( $rate ) {
		return null === $rate ? '—' : number_format_i18n( $rate * 100, 1 ) . '%';
	}

	/**
	 * A lift in percentage points with its 95 % interval: "+5.0 pp (-2.7 to +12.7)".
	 *
	 * @param array|null $absolute {estimate, low, high} as fractions.
	 * @return string
	 */
	public static function lift_label( $absolute ) {
		if ( null === $absolute ) {
			return '—';
		}
		$points = function ( $value ) {
			$rounded = round( $value * 100, 1 );
			return ( $rounded < 0 ? '-' : '+' ) . number_format_i18n( abs( $rounded ), 1 );
		};
		/* translators: 1: lift, 2: lower end of its 95% interval, 3: upper end; all in percentage points. */
		return sprintf( __( '%1$s pp (%2$s to %3$s)', 'encore' ), $points( $absolute['estimate'] ), $points( $absolute['low'] ), $points( $absolute['high'] ) );
	}
}
