<?php
/**
 * The order summary posted to POST /v1/thank-you.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds the summary exactly as the service's schema takes it (src/http/thank-you.routes.ts,
 * a strict object: no other keys):
 * `{"orderId","orderKey","status","email","customerId","items":[{"productId","variationId",
 * "quantity","total"}],"total","currency","locale"}`. Money is a decimal string with two
 * decimals, as WooCommerce writes it. Read through WooCommerce's CRUD only (HPOS-safe).
 */
class Encore_Order_Summary {

	/**
	 * The service takes at most this many lines.
	 */
	const MAX_ITEMS = 500;

	/**
	 * The summary of one order.
	 *
	 * @param WC_Order    $order  Order.
	 * @param string|null $locale WordPress locale such as pl_PL; left out when null or malformed.
	 * @return array
	 */
	public static function build( $order, $locale = null ) {
		$summary = array(
			'orderId'    => (int) $order->get_id(),
			'orderKey'   => (string) $order->get_order_key(),
			// WooCommerce's getter already drops the wc- prefix; strip it again for extensions' statuses.
			'status'     => preg_replace( '/^wc-/', '', (string) $order->get_status() ),
			'email'      => self::email( $order->get_billing_email() ),
			'customerId' => max( 0, (int) $order->get_customer_id() ),
			'items'      => self::items( $order ),
			'total'      => wc_format_decimal( $order->get_total(), 2 ),
			'currency'   => strtoupper( (string) $order->get_currency() ),
		);
		$locale = self::locale( $locale );
		if ( null !== $locale ) {
			$summary['locale'] = $locale;
		}
		return $summary;
	}

	/**
	 * The billing email in lower case, or null when there is none or it is not an address.
	 *
	 * @param mixed $email Billing email.
	 * @return string|null
	 */
	private static function email( $email ) {
		$email = is_string( $email ) ? trim( $email ) : '';
		if ( '' === $email || strlen( $email ) > 254 || ! is_email( $email ) ) {
			return null;
		}
		return function_exists( 'mb_strtolower' ) ? mb_strtolower( $email, 'UTF-8' ) : strtolower( $email );
	}

	/**
	 * Line items. A line whose product was deleted (product id 0) or with no quantity says
	 * nothing about what the buyer owns, and the service would refuse the whole summary for it.
	 *
	 * @param WC_Order $order Order.
	 * @return array[]
	 */
	private static function items( $order ) {
		$items = array();
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			$product_id = (int) $item->get_product_id();
			$quantity   = (int) $item->get_quantity();
			if ( $product_id <= 0 || $quantity <= 0 ) {
				continue;
			}
			$items[] = array(
				'productId'   => $product_id,
				'variationId' => max( 0, (int) $item->get_variation_id() ),
				'quantity'    => $quantity,
				'total'       => wc_format_decimal( $item->get_total(), 2 ),
			);
			if ( count( $items ) >= self::MAX_ITEMS ) {
				break;
			}
		}
		return $items;
	}

	/**
	 * A locale the service accepts (`xx`, `xx_YY`, `de_DE_formal`), or null.
	 *
	 * @param mixed $locale Locale.
	 * @return string|null
	 */
	private static function locale( $locale ) {
		if ( ! is_string( $locale ) || ! preg_match( '/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}$/', $locale ) ) {
			return null;
		}
		return $locale;
	}
}
