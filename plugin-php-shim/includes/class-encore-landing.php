<?php
/**
 * Offer-link landings: ?encore_add=<ids>&encore_coupon=<code>.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * The service redirects a buyer who opens an offer link to the shop with `encore_add`
 * (comma-separated product or variation ids) and `encore_coupon` (the offer's coupon). This
 * adds the products, applies the coupon and redirects to the cart without those arguments.
 * Anything malformed or foreign is ignored with a notice, never an error page; a coupon that
 * WooCommerce refuses (expired, not yet valid for this email) leaves WooCommerce's own notice.
 */
class Encore_Landing {

	/**
	 * Most products one link may add.
	 */
	const MAX_PRODUCTS = 20;

	/**
	 * Coupon codes the service makes: `encore-` and the offer id's lower-case base32.
	 */
	const COUPON_PATTERN = '/^encore-[0-9a-z]{1,64}$/';

	/**
	 * Hooks in. template_redirect runs on front-end page requests only, after WooCommerce has
	 * loaded the cart from the session (wp_loaded).
	 */
	public function register() {
		add_action( 'template_redirect', array( $this, 'maybe_land' ), 5 );
	}

	/**
	 * Product ids from `encore_add`: 1 to 20 positive integers separated by commas, duplicates
	 * dropped; null for anything else.
	 *
	 * @param mixed $raw Query argument value (unslashed).
	 * @return int[]|null
	 */
	public static function parse_product_ids( $raw ) {
		if ( ! is_string( $raw ) ) {
			return null;
		}
		$raw = trim( $raw );
		// Up to 18 digits each: every such number fits a 64-bit PHP integer.
		if ( ! preg_match( '/^[1-9][0-9]{0,17}(,[1-9][0-9]{0,17})*$/', $raw ) ) {
			return null;
		}
		$ids = array_map( 'intval', explode( ',', $raw ) );
		if ( count( $ids ) > self::MAX_PRODUCTS ) {
			return null;
		}
		return array_values( array_unique( $ids ) );
	}

	/**
	 * The coupon code from `encore_coupon`, or null when it is not one of Encore's.
	 *
	 * @param mixed $raw Query argument value (unslashed).
	 * @return string|null
	 */
	public static function parse_coupon( $raw ) {
		if ( ! is_string( $raw ) ) {
			return null;
		}
		$raw = trim( $raw );
		return preg_match( self::COUPON_PATTERN, $raw ) ? $raw : null;
	}

	/**
	 * template_redirect: lands and redirects when the request carries the arguments.
	 */
	public function maybe_land() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a link from an email or the thank-you page; the coupon is bound to the buyer's email by WooCommerce.
		if ( ! isset( $_GET['encore_add'] ) && ! isset( $_GET['encore_coupon'] ) ) {
			return;
		}
		if ( is_admin() || wp_doing_ajax() || ( isset( $_SERVER['REQUEST_METHOD'] ) && 'GET' !== $_SERVER['REQUEST_METHOD'] ) ) {
			return;
		}
		$add    = isset( $_GET['encore_add'] ) ? wp_unslash( $_GET['encore_add'] ) : null; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated by parse_product_ids().
		$coupon = isset( $_GET['encore_coupon'] ) ? wp_unslash( $_GET['encore_coupon'] ) : null; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated by parse_coupon().
		// phpcs:enable

		$target = $this->land( $add, $coupon );
		nocache_headers();
		wp_safe_redirect( $target );
		exit;
	}

	/**
	 * Fills the cart and returns where to send the buyer.
	 *
	 * @param mixed $raw_add    encore_add, or null when absent.
	 * @param mixed $raw_coupon encore_coupon, or null when absent.
	 * @return string Cart URL.
	 */
	public function land( $raw_add, $raw_coupon ) {
		$cart_url = wc_get_cart_url();
		if ( function_exists( 'wc_load_cart' ) && null === WC()->cart ) {
			wc_load_cart();
		}
		$cart = WC()->cart;
		if ( ! $cart ) {
			return $cart_url;
		}
		// A guest's first visit has no session yet: without the cookie the cart would be lost on redirect.
		if ( WC()->session && ! WC()->session->has_session() ) {
			WC()->session->set_customer_session_cookie( true );
		}

		if ( null !== $raw_add ) {
			$ids = self::parse_product_ids( $raw_add );
			if ( null === $ids ) {
				wc_add_notice( __( 'This offer link lists products in a form we do not recognise, so none were added to your cart.', 'encore' ), 'notice' );
			} else {
				$this->add_products( $cart, $ids );
			}
		}

		if ( null !== $raw_coupon ) {
			$code = self::parse_coupon( $raw_coupon );
			if ( null === $code ) {
				wc_add_notice( __( 'This offer link holds a discount code we do not recognise, so it was not applied.', 'encore' ), 'notice' );
			} elseif ( ! $cart->has_discount( $code ) ) {
				// WooCommerce adds its own success or error notice.
				$cart->apply_coupon( $code );
			}
		}

		return $cart_url;
	}

	/**
	 * Adds each product once: opening the same link twice does not double the quantity.
	 *
	 * @param WC_Cart $cart Cart.
	 * @param int[]   $ids  Product or variation ids.
	 */
	private function add_products( $cart, $ids ) {
		$unavailable = 0;
		foreach ( $ids as $id ) {
			$product = $this->purchasable_product( $id );
			if ( null === $product ) {
				++$unavailable;
				continue;
			}
			$product_id   = $id;
			$variation_id = 0;
			$attributes   = array();
			if ( $product->is_type( 'variation' ) ) {
				$product_id   = (int) $product->get_parent_id();
				$variation_id = $id;
				$attributes   = (array) $product->get_variation_attributes();
			}
			if ( self::in_cart( $cart, $product_id, $variation_id ) ) {
				continue;
			}
			// On failure (out of stock, a variation with "any" attributes) WooCommerce adds its own notice.
			$cart->add_to_cart( $product_id, 1, $variation_id, $attributes );
		}
		if ( $unavailable > 0 ) {
			wc_add_notice( __( 'Some of the offered products are no longer available and were not added to your cart.', 'encore' ), 'notice' );
		}
	}

	/**
	 * Whether the cart already holds this product or variation (by ids: a cart id also hashes
	 * attributes whose order WooCommerce may change).
	 *
	 * @param WC_Cart $cart         Cart.
	 * @param int     $product_id   Product (parent) id.
	 * @param int     $variation_id Variation id or 0.
	 * @return bool
	 */
	private static function in_cart( $cart, $product_id, $variation_id ) {
		foreach ( $cart->get_cart() as $item ) {
			if ( (int) $item['product_id'] === $product_id && (int) $item['variation_id'] === $variation_id ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A published, purchasable simple product or variation (of a published parent), or null.
	 *
	 * @param int $id Product or variation id.
	 * @return WC_Product|null
	 */
	private function purchasable_product( $id ) {
		$product = wc_get_product( $id );
		if ( ! $product || 'publish' !== $product->get_status() || ! $product->is_purchasable() ) {
			return null;
		}
		// A variable parent needs a variation; grouped and external products cannot go in a cart.
		if ( $product->is_type( array( 'variable', 'grouped', 'external' ) ) ) {
			return null;
		}
		if ( $product->is_type( 'variation' ) ) {
			$parent = wc_get_product( $product->get_parent_id() );
			if ( ! $parent || 'publish' !== $parent->get_status() ) {
				return null;
			}
		}
		return $product;
	}
}
