<?php
/**
 * The rule form: between submitted fields, the service's rule JSON and its field errors.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Form values are flat (one per input); the service's rule is nested (src/domain/rule.ts):
 * `{"name","enabled","kind","trigger":{"productIds","minOrderTotal"},"offer":{"productIds"|
 * "fromHistory":{"top","minSupport"},"discount":{"type","amount"}},"channels":{"thankYou","email":{"enabled","delayHours"|
 * "replenish":{"daysPerUnit","leadDays"}}},"expiresAfterHours","priority","holdoutPercent"}`. Validation is
 * the service's: values it cannot take are sent as typed so that its field error, keyed by
 * path (`offer.discount.amount`), comes back and is shown beside the input. A
 * `bought_together` rule learns its products from paid orders: it sends `fromHistory` (how many
 * products, minimum co-purchases) instead of `productIds`.
 */
class Encore_Rule_Form {

	const KINDS          = array( 'complement', 'upsell', 'cross_sell', 'bought_together' );
	const LEARNED_KIND   = 'bought_together';
	const DISCOUNT_TYPES = array( 'percent', 'fixed_cart', 'fixed_product' );
	const EMAIL_MODES    = array( 'off', 'delay', 'replenish' );

	/**
	 * Which inputs show the errors of which paths. The longest matching path wins.
	 */
	const FIELD_PATHS = array(
		'name'             => array( 'name' ),
		'enabled'          => array( 'enabled' ),
		'kind'             => array( 'kind' ),
		'trigger_products' => array( 'trigger.productIds', 'trigger' ),
		'min_order_total'  => array( 'trigger.minOrderTotal' ),
		'offer_products'   => array( 'offer.productIds', 'offer' ),
		'history_top'      => array( 'offer.fromHistory.top' ),
		'history_support'  => array( 'offer.fromHistory.minSupport', 'offer.fromHistory' ),
		'discount_type'    => array( 'offer.discount.type' ),
		'discount_amount'  => array( 'offer.discount.amount', 'offer.discount' ),
		'thank_you'        => array( 'channels.thankYou', 'channels' ),
		'email_mode'       => array( 'channels.email', 'channels.email.enabled' ),
		'delay_hours'      => array( 'channels.email.delayHours' ),
		'replenish_days'   => array( 'channels.email.replenish.daysPerUnit', 'channels.email.replenish' ),
		'lead_days'        => array( 'channels.email.replenish.leadDays' ),
		'expires_hours'    => array( 'expiresAfterHours' ),
		'priority'         => array( 'priority' ),
		'holdout_percent'  => array( 'holdoutPercent' ),
	);

	/**
	 * Values of a new rule.
	 *
	 * @return array
	 */
	public static function defaults() {
		return array(
			'name'             => '',
			'enabled'          => true,
			'kind'             => 'complement',
			'trigger_products' => array(),
			'min_order_total'  => '',
			'offer_products'   => array(),
			'history_top'      => '3',
			'history_support'  => '2',
			'discount_type'    => 'percent',
			'discount_amount'  => '',
			'thank_you'        => true,
			'email_mode'       => 'off',
			'delay_hours'      => '',
			'replenish_days'   => '',
			'lead_days'        => '',
			'expires_hours'    => '72',
			'priority'         => '0',
			'holdout_percent'  => '0',
		);
	}

	/**
	 * Values from a submitted form (already unslashed).
	 *
	 * @param array $post Submitted fields.
	 * @return array
	 */
	public static function values_from_post( $post ) {
		$text = function ( $key ) use ( $post ) {
			return isset( $post[ $key ] ) && is_scalar( $post[ $key ] ) ? sanitize_text_field( (string) $post[ $key ] ) : '';
		};
		$email_mode = $text( 'email_mode' );
		return array(
			'name'             => $text( 'name' ),
			'enabled'          => ! empty( $post['enabled'] ),
			'kind'             => $text( 'kind' ),
			'trigger_products' => self::ids( isset( $post['trigger_products'] ) ? $post['trigger_products'] : array() ),
			'min_order_total'  => $text( 'min_order_total' ),
			'offer_products'   => self::ids( isset( $post['offer_products'] ) ? $post['offer_products'] : array() ),
			'history_top'      => $text( 'history_top' ),
			'history_support'  => $text( 'history_support' ),
			'discount_type'    => $text( 'discount_type' ),
			'discount_amount'  => $text( 'discount_amount' ),
			'thank_you'        => ! empty( $post['thank_you'] ),
			'email_mode'       => in_array( $email_mode, self::EMAIL_MODES, true ) ? $email_mode : 'off',
			'delay_hours'      => $text( 'delay_hours' ),
			'replenish_days'   => $text( 'replenish_days' ),
			'lead_days'        => $text( 'lead_days' ),
			'expires_hours'    => $text( 'expires_hours' ),
			'priority'         => $text( 'priority' ),
			'holdout_percent'  => $text( 'holdout_percent' ),
		);
	}

	/**
	 * Values from a rule as the service returns it.
	 *
	 * @param array $rule Rule JSON, decoded.
	 * @return array
	 */
	public static function values_from_rule( $rule ) {
		$get    = function ( $path, $fallback = null ) use ( $rule ) {
			$node = $rule;
			foreach ( explode( '.', $path ) as $key ) {
				if ( ! is_array( $node ) || ! array_key_exists( $key, $node ) ) {
					return $fallback;
				}
				$node = $node[ $key ];
			}
			return $node;
		};
		$string = function ( $value ) {
			return is_scalar( $value ) && ! is_bool( $value ) ? (string) $value : '';
		};
		$email  = $get( 'channels.email' );
		$mode   = 'off';
		if ( is_array( $email ) && ! empty( $email['enabled'] ) ) {
			$mode = isset( $email['replenish'] ) ? 'replenish' : 'delay';
		}
		return array(
			'name'             => $string( $get( 'name', '' ) ),
			'enabled'          => (bool) $get( 'enabled', true ),
			'kind'             => $string( $get( 'kind', '' ) ),
			'trigger_products' => self::ids( $get( 'trigger.productIds', array() ) ),
			'min_order_total'  => $string( $get( 'trigger.minOrderTotal', '' ) ),
			'offer_products'   => self::ids( $get( 'offer.productIds', array() ) ),
			'history_top'      => $string( $get( 'offer.fromHistory.top', '' ) ),
			'history_support'  => $string( $get( 'offer.fromHistory.minSupport', '' ) ),
			'discount_type'    => $string( $get( 'offer.discount.type', 'percent' ) ),
			'discount_amount'  => $string( $get( 'offer.discount.amount', '' ) ),
			'thank_you'        => (bool) $get( 'channels.thankYou', true ),
			'email_mode'       => $mode,
			'delay_hours'      => $string( $get( 'channels.email.delayHours', '' ) ),
			'replenish_days'   => $string( $get( 'channels.email.replenish.daysPerUnit', '' ) ),
			'lead_days'        => $string( $get( 'channels.email.replenish.leadDays', '' ) ),
			'expires_hours'    => $string( $get( 'expiresAfterHours', '' ) ),
			'priority'         => $string( $get( 'priority', '' ) ),
			'holdout_percent'  => $string( $get( 'holdoutPercent', '' ) ),
		);
	}

	/**
	 * The rule JSON for POST /v1/admin/rules or PUT /v1/admin/rules/<id>.
	 *
	 * @param array $values Form values.
	 * @return array
	 */
	public static function to_payload( $values ) {
		$trigger = array( 'productIds' => array_values( $values['trigger_products'] ) );
		if ( '' !== $values['min_order_total'] ) {
			$trigger['minOrderTotal'] = self::decimal( $values['min_order_total'] );
		}
		$channels = array( 'thankYou' => (bool) $values['thank_you'] );
		if ( 'delay' === $values['email_mode'] ) {
			$channels['email'] = self::without_empty(
				array(
					'enabled'    => true,
					'delayHours' => self::number( $values['delay_hours'] ),
				)
			);
		} elseif ( 'replenish' === $values['email_mode'] ) {
			$channels['email'] = array(
				'enabled'   => true,
				'replenish' => self::without_empty(
					array(
						'daysPerUnit' => self::number( $values['replenish_days'] ),
						'leadDays'    => self::number( $values['lead_days'] ),
					)
				),
			);
		}
		$discount = array(
			'type'   => $values['discount_type'],
			'amount' => self::decimal( $values['discount_amount'] ),
		);
		if ( self::LEARNED_KIND === $values['kind'] ) {
			// Empty inputs are left out, so that the service names the missing field.
			$offer = array(
				'fromHistory' => self::without_empty(
					array(
						'top'        => self::number( $values['history_top'] ),
						'minSupport' => self::number( self::decimal( $values['history_support'] ) ),
					)
				),
				'discount'    => $discount,
			);
		} else {
			$offer = array(
				'productIds' => array_values( $values['offer_products'] ),
				'discount'   => $discount,
			);
		}
		$payload = array(
			'name'              => $values['name'],
			'enabled'           => (bool) $values['enabled'],
			'kind'              => $values['kind'],
			'trigger'           => $trigger,
			'offer'             => $offer,
			'channels'          => $channels,
			'expiresAfterHours' => self::number( $values['expires_hours'] ),
			'priority'          => self::number( $values['priority'] ),
			'holdoutPercent'    => self::number( self::decimal( isset( $values['holdout_percent'] ) ? $values['holdout_percent'] : '' ) ),
		);
		// An empty priority or holdout takes the service's default (0); an empty expiry gets its "required".
		foreach ( array( 'priority', 'holdoutPercent' ) as $optional ) {
			if ( '' === $payload[ $optional ] ) {
				unset( $payload[ $optional ] );
			}
		}
		return $payload;
	}

	/**
	 * The service's field errors sorted to inputs; those that match no input under '_other'
	 * as "path: message" lines.
	 *
	 * @param array<string, string> $fields Field errors by path.
	 * @return array
	 */
	public static function errors_by_field( $fields ) {
		$out = array( '_other' => array() );
		foreach ( $fields as $path => $message ) {
			$path  = (string) $path;
			$best  = null;
			$depth = -1;
			foreach ( self::FIELD_PATHS as $field => $prefixes ) {
				foreach ( $prefixes as $prefix ) {
					$matches = $path === $prefix || 0 === strpos( $path, $prefix . '.' );
					if ( $matches && strlen( $prefix ) > $depth ) {
						$best  = $field;
						$depth = strlen( $prefix );
					}
				}
			}
			if ( null === $best ) {
				$out['_other'][] = $path . ': ' . $message;
			} elseif ( ! isset( $out[ $best ] ) ) {
				$out[ $best ] = (string) $message;
			}
		}
		return $out;
	}

	/**
	 * Positive integer ids, unique, in the order given.
	 *
	 * @param mixed $raw Ids.
	 * @return int[]
	 */
	private static function ids( $raw ) {
		$ids = array();
		foreach ( is_array( $raw ) ? $raw : array() as $id ) {
			$id = is_scalar( $id ) ? (int) $id : 0;
			if ( $id > 0 && ! in_array( $id, $ids, true ) ) {
				$ids[] = $id;
			}
		}
		return $ids;
	}

	/**
	 * A number for a numeric input, '' for an empty one (left out), or the text as typed so
	 * that the service names the field.
	 *
	 * @param string $raw Input.
	 * @return int|float|string
	 */
	private static function number( $raw ) {
		$raw = trim( (string) $raw );
		if ( '' === $raw || ! is_numeric( $raw ) ) {
			return $raw;
		}
		return preg_match( '/^-?\d+$/', $raw ) ? (int) $raw : (float) $raw;
	}

	/**
	 * A decimal amount: a comma typed as decimal separator becomes a point.
	 *
	 * @param string $raw Input.
	 * @return string
	 */
	private static function decimal( $raw ) {
		$raw = trim( (string) $raw );
		return preg_match( '/^-?\d+,\d+$/', $raw ) ? str_replace( ',', '.', $raw ) : $raw;
	}

	/**
	 * Drops keys whose value is ''.
	 *
	 * @param array $data Data.
	 * @return array
	 */
	private static function without_empty( $data ) {
		return array_filter(
			$data,
			function ( $value ) {
				return '' !== $value;
			}
		);
	}
}
