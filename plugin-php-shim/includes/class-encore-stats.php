<?php
/**
 * The funnel per rule, from GET /v1/admin/stats.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Sums the service's per-channel counters per rule and draws them as inline SVG bars.
 * Answer: {"from","to","rules":[{"ruleId","name","channels":{"thank_you":{"issued",…,
 * "revenue":{"PLN":"12.00"}},"email":{…}}}]}; name is null for a deleted rule.
 */
class Encore_Stats {

	/**
	 * The funnel steps shown, in order.
	 *
	 * @return string[]
	 */
	public static function metrics() {
		return array( 'issued', 'shown', 'emailed', 'clicked', 'redeemed' );
	}

	/**
	 * Translated labels of the steps.
	 *
	 * @return array<string, string>
	 */
	public static function labels() {
		return array(
			'issued'   => __( 'Issued', 'encore' ),
			'shown'    => __( 'Shown', 'encore' ),
			'emailed'  => __( 'Emailed', 'encore' ),
			'clicked'  => __( 'Clicked', 'encore' ),
			'redeemed' => __( 'Redeemed', 'encore' ),
		);
	}

	/**
	 * One row per rule: counts summed over channels, revenue summed per currency.
	 *
	 * @param mixed $body Decoded stats answer.
	 * @return array[] Rows {rule_id, name, issued, shown, emailed, clicked, redeemed, revenue: array<string, string>,
	 *                 lift: array|null (see Encore_Lift::from_answer)}.
	 */
	public static function rows( $body ) {
		if ( ! is_array( $body ) || ! isset( $body['rules'] ) || ! is_array( $body['rules'] ) ) {
			return array();
		}
		$rows = array();
		foreach ( $body['rules'] as $rule ) {
			if ( ! is_array( $rule ) || ! isset( $rule['ruleId'] ) || ! is_scalar( $rule['ruleId'] ) ) {
				continue;
			}
			$row = array(
				'rule_id' => (string) $rule['ruleId'],
				'name'    => isset( $rule['name'] ) && is_scalar( $rule['name'] ) ? (string) $rule['name'] : null,
				'revenue' => array(),
				'lift'    => Encore_Lift::from_answer( isset( $rule['lift'] ) ? $rule['lift'] : null ),
			);
			foreach ( self::metrics() as $metric ) {
				$row[ $metric ] = 0;
			}
			$channels = isset( $rule['channels'] ) && is_array( $rule['channels'] ) ? $rule['channels'] : array();
			foreach ( $channels as $channel ) {
				if ( is_array( $channel ) ) {
					$row = self::add_channel( $row, $channel );
				}
			}
			$rows[] = $row;
		}
		return $rows;
	}

	/**
	 * Adds one channel's counters to a row.
	 *
	 * @param array $row     Row.
	 * @param array $channel Channel counters.
	 * @return array
	 */
	private static function add_channel( $row, $channel ) {
		foreach ( self::metrics() as $metric ) {
			if ( isset( $channel[ $metric ] ) && is_numeric( $channel[ $metric ] ) ) {
				$row[ $metric ] += (int) $channel[ $metric ];
			}
		}
		$revenue = isset( $channel['revenue'] ) && is_array( $channel['revenue'] ) ? $channel['revenue'] : array();
		foreach ( $revenue as $currency => $amount ) {
			if ( ! is_string( $currency ) || ! is_scalar( $amount ) || ! self::is_decimal( (string) $amount ) ) {
				continue;
			}
			$current                     = isset( $row['revenue'][ $currency ] ) ? $row['revenue'][ $currency ] : '0';
			$row['revenue'][ $currency ] = self::add_decimals( $current, (string) $amount );
		}
		ksort( $row['revenue'] );
		return $row;
	}

	/**
	 * The sum of all rows, as one row.
	 *
	 * @param array[] $rows Rows.
	 * @return array
	 */
	public static function totals( $rows ) {
		$total = array(
			'rule_id' => '',
			'name'    => __( 'All rules', 'encore' ),
			'revenue' => array(),
		);
		foreach ( self::metrics() as $metric ) {
			$total[ $metric ] = 0;
		}
		foreach ( $rows as $row ) {
			foreach ( self::metrics() as $metric ) {
				$total[ $metric ] += $row[ $metric ];
			}
			foreach ( $row['revenue'] as $currency => $amount ) {
				$current                       = isset( $total['revenue'][ $currency ] ) ? $total['revenue'][ $currency ] : '0';
				$total['revenue'][ $currency ] = self::add_decimals( $current, $amount );
			}
		}
		ksort( $total['revenue'] );
		return $total;
	}

	/**
	 * Whether a string is a decimal amount as the service writes it.
	 *
	 * @param string $value Value.
	 * @return bool
	 */
	public static function is_decimal( $value ) {
		return (bool) preg_match( '/^-?\d{1,12}(\.\d{1,4})?$/', $value );
	}

	/**
	 * Exact sum of two decimal strings (through integer ten-thousandths, no float rounding),
	 * with two to four decimals, as the service writes amounts.
	 *
	 * @param string $a Decimal.
	 * @param string $b Decimal.
	 * @return string
	 */
	public static function add_decimals( $a, $b ) {
		$units    = self::to_units( $a ) + self::to_units( $b );
		$negative = $units < 0;
		$abs      = abs( $units );
		$fraction = rtrim( str_pad( (string) ( $abs % 10000 ), 4, '0', STR_PAD_LEFT ), '0' );
		$fraction = str_pad( $fraction, 2, '0' );
		return ( $negative ? '-' : '' ) . intdiv( $abs, 10000 ) . '.' . $fraction;
	}

	/**
	 * Integer ten-thousandths of a decimal string.
	 *
	 * @param string $value Decimal.
	 * @return int
	 */
	private static function to_units( $value ) {
		$value    = trim( $value );
		$negative = 0 === strpos( $value, '-' );
		$parts    = explode( '.', ltrim( $value, '-' ) . '.' );
		$units    = (int) $parts[0] * 10000 + (int) str_pad( substr( $parts[1], 0, 4 ), 4, '0' );
		return $negative ? -$units : $units;
	}

	/**
	 * A label for a row: the rule's name, or its id when the rule was deleted.
	 *
	 * @param array $row Row.
	 * @return string
	 */
	public static function row_label( $row ) {
		if ( null !== $row['name'] && '' !== $row['name'] ) {
			return $row['name'];
		}
		/* translators: %s: rule id. */
		return sprintf( __( 'Deleted rule %s', 'encore' ), $row['rule_id'] );
	}

	/**
	 * Horizontal bars, one group per rule, one bar per funnel step, scaled to the largest count.
	 * Colours come from CSS classes (assets/css/encore-admin.css).
	 *
	 * @param array[] $rows Rows.
	 * @return string SVG markup, escaped.
	 */
	public static function chart_svg( $rows ) {
		if ( empty( $rows ) ) {
			return '';
		}
		$metrics = self::metrics();
		$labels  = self::labels();
		$max     = 1;
		$bar_h   = 14;
		$gap     = 4;
		$name_h  = 20;
		$label_w = 90;
		$bars_w  = 480;
		foreach ( $rows as $row ) {
			foreach ( $metrics as $metric ) {
				$max = max( $max, (int) $row[ $metric ] );
			}
		}
		$group_h = $name_h + count( $metrics ) * ( $bar_h + $gap ) + 12;
		$height  = count( $rows ) * $group_h;
		$width   = $label_w + $bars_w + 70;

		$svg = sprintf(
			'<svg class="encore-chart" role="img" aria-labelledby="encore-chart-title" viewBox="0 0 %1$d %2$d" width="%1$d" height="%2$d" xmlns="http://www.w3.org/2000/svg"><title id="encore-chart-title">%3$s</title>',
			$width,
			$height,
			esc_html__( 'Funnel per rule', 'encore' )
		);
		foreach ( array_values( $rows ) as $i => $row ) {
			$top  = $i * $group_h;
			$svg .= sprintf( '<text class="encore-chart__rule" x="0" y="%d">%s</text>', $top + 14, esc_html( self::row_label( $row ) ) );
			foreach ( $metrics as $j => $metric ) {
				$y     = $top + $name_h + $j * ( $bar_h + $gap );
				$value = (int) $row[ $metric ];
				$w     = $value > 0 ? max( 1, (int) round( $bars_w * $value / $max ) ) : 0;
				$svg  .= sprintf(
					'<text class="encore-chart__label" x="%1$d" y="%2$d" text-anchor="end">%3$s</text><rect class="encore-chart__bar encore-chart__bar--%4$s" x="%5$d" y="%6$d" width="%7$d" height="%8$d"><title>%3$s: %9$d</title></rect><text class="encore-chart__value" x="%10$d" y="%2$d">%9$d</text>',
					$label_w - 8,
					$y + $bar_h - 3,
					esc_html( $labels[ $metric ] ),
					esc_attr( $metric ),
					$label_w,
					$y,
					$w,
					$bar_h,
					$value,
					$label_w + $w + 6
				);
			}
		}
		return $svg . '</svg>';
	}
}
