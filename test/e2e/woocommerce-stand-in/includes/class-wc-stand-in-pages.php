<?php
/**
 * TEST STAND-IN: the order-received page and the cart page, inside the theme's header and footer.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * `/?stand_in=order-received&order-received=<id>&key=<key>` and `/?stand_in=cart`. The markup
 * borrows WooCommerce's class names so that the pages read like a shop's.
 */
class WC_Stand_In_Pages {

	/**
	 * Hooks in. Priority 20: after Encore's offer-link landing (5), which redirects and exits.
	 */
	public static function register() {
		add_action( 'template_redirect', array( __CLASS__, 'render' ), 20 );
		add_filter( 'pre_get_document_title', array( __CLASS__, 'title' ) );
		// WooCommerce marks the order-received page noindex in the same way.
		add_filter( 'wp_robots', array( __CLASS__, 'robots' ) );
		// After Encore's offers (priority 5), as WooCommerce's order details table.
		add_action( 'woocommerce_thankyou', array( __CLASS__, 'order_details' ), 10 );
	}

	/**
	 * The page asked for, or ''.
	 *
	 * @return string
	 */
	private static function page() {
		$page = isset( $_GET['stand_in'] ) ? sanitize_key( wp_unslash( $_GET['stand_in'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- routing only.
		return in_array( $page, array( 'cart', 'order-received' ), true ) ? $page : '';
	}

	/**
	 * Document title.
	 *
	 * @param string $title Title.
	 * @return string
	 */
	public static function title( $title ) {
		$titles = array(
			'cart'           => 'Cart',
			'order-received' => 'Order received',
		);
		return isset( $titles[ self::page() ] ) ? $titles[ self::page() ] . ' – ' . get_bloginfo( 'name' ) : $title;
	}

	/**
	 * noindex on the order-received page.
	 *
	 * @param array $robots Directives.
	 * @return array
	 */
	public static function robots( $robots ) {
		return 'order-received' === self::page() ? wp_robots_no_robots( $robots ) : $robots;
	}

	/**
	 * Renders a stand-in page and ends the request.
	 */
	public static function render() {
		$page = self::page();
		if ( '' === $page ) {
			return;
		}
		status_header( 200 );
		nocache_headers();
		get_header();
		echo '<main class="site-main"><div class="woocommerce">';
		if ( 'cart' === $page ) {
			self::cart();
		} else {
			self::order_received();
		}
		echo '</div></main>';
		get_footer();
		exit;
	}

	/**
	 * The order-received page: woocommerce_thankyou fires only when the key matches and, for a
	 * customer's order, that customer is logged in (WooCommerce's own checks).
	 */
	private static function order_received() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- authorised by the order key.
		$order_id = isset( $_GET['order-received'] ) ? absint( $_GET['order-received'] ) : 0;
		$key      = isset( $_GET['key'] ) ? wc_clean( wp_unslash( $_GET['key'] ) ) : '';
		// phpcs:enable
		$order = wc_get_order( $order_id );
		echo '<h1 class="entry-title">Order received</h1>';
		$visible = $order && $order->key_is_valid( $key ) && ( 0 === $order->get_customer_id() || get_current_user_id() === $order->get_customer_id() );
		if ( ! $visible ) {
			echo '<p class="woocommerce-error">This order cannot be shown: the link is not valid.</p>';
			return;
		}
		echo '<div class="woocommerce-order">';
		echo '<p class="woocommerce-notice woocommerce-thankyou-order-received">Thank you. Your order has been received.</p>';
		printf(
			'<ul class="woocommerce-order-overview"><li>Order number: <strong>%1$s</strong></li><li>Email: <strong>%2$s</strong></li><li>Total: <strong>%3$s</strong></li><li>Status: <strong>%4$s</strong></li></ul>',
			esc_html( $order->get_order_number() ),
			esc_html( $order->get_billing_email() ),
			wp_kses_post( wc_price( $order->get_total(), array( 'currency' => $order->get_currency() ) ) ),
			esc_html( $order->get_status() )
		);
		do_action( 'woocommerce_thankyou', $order->get_id() );
		echo '</div>';
	}

	/**
	 * The order's lines, under the offers.
	 *
	 * @param int $order_id Order id.
	 */
	public static function order_details( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( ! $order ) {
			return;
		}
		echo '<section class="woocommerce-order-details"><h2>Order details</h2><table class="shop_table order_details"><thead><tr><th>Product</th><th>Total</th></tr></thead><tbody>';
		foreach ( $order->get_items() as $item ) {
			printf( '<tr><td>%1$s × %2$d</td><td>%3$s</td></tr>', esc_html( $item->get_name() ), (int) $item->get_quantity(), wp_kses_post( wc_price( $item->get_total(), array( 'currency' => $order->get_currency() ) ) ) );
		}
		echo '</tbody></table></section>';
	}

	/**
	 * The cart page: notices, lines, applied coupons and totals.
	 */
	private static function cart() {
		$cart = WC()->cart;
		echo '<h1 class="entry-title">Cart</h1><div class="woocommerce-notices-wrapper">';
		wc_print_notices();
		echo '</div>';
		if ( ! $cart || empty( $cart->get_cart() ) ) {
			echo '<p class="cart-empty">Your cart is currently empty.</p>';
			return;
		}
		echo '<table class="shop_table cart"><thead><tr><th>Product</th><th>Price</th><th>Quantity</th></tr></thead><tbody>';
		foreach ( $cart->get_cart() as $line ) {
			$product = wc_get_product( $line['product_id'] );
			printf(
				'<tr class="cart_item" data-product-id="%1$d"><td class="product-name">%2$s</td><td class="product-price">%3$s</td><td class="product-quantity">%4$d</td></tr>',
				(int) $line['product_id'],
				esc_html( $product ? $product->get_name() : '#' . $line['product_id'] ),
				wp_kses_post( wc_price( $product ? $product->get_price() : 0 ) ),
				(int) $line['quantity']
			);
		}
		echo '</tbody></table>';
		$totals = $cart->totals();
		echo '<table class="shop_table cart_totals"><tbody>';
		printf( '<tr class="cart-subtotal"><th>Subtotal</th><td>%s</td></tr>', wp_kses_post( wc_price( $totals['subtotal'] ) ) );
		foreach ( $cart->get_applied_coupons() as $code ) {
			printf( '<tr class="cart-discount coupon-%1$s" data-coupon="%1$s"><th>Coupon: %1$s</th><td></td></tr>', esc_attr( $code ) );
		}
		printf( '<tr class="cart-discount-total"><th>Discount</th><td>−%s</td></tr>', wp_kses_post( wc_price( $totals['discount'] ) ) );
		printf( '<tr class="order-total"><th>Total</th><td>%s</td></tr>', wp_kses_post( wc_price( $totals['subtotal'] - $totals['discount'] ) ) );
		echo '</tbody></table>';
	}
}
