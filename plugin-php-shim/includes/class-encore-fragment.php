<?php
/**
 * The offers fragment the service returns for the thank-you page.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * The service escapes everything it interpolates (src/views/offer-fragment.ts); the fragment
 * still goes through wp_kses with an allow-list of exactly the tags and attributes it uses,
 * so a compromised or misconfigured service cannot put script on the shop's pages.
 */
class Encore_Fragment {

	/**
	 * Tags and attributes of the fragment.
	 *
	 * @return array<string, array<string, bool>>
	 */
	public static function allowed_html() {
		$common = array(
			'class'  => true,
			'lang'   => true,
			'data-*' => true,
		);
		return array(
			'section' => $common,
			'h2'      => $common,
			'article' => $common,
			'p'       => $common,
			'ul'      => $common,
			'li'      => $common,
			'span'    => $common,
			'time'    => $common + array( 'datetime' => true ),
			'a'       => $common + array(
				'href' => true,
				'rel'  => true,
			),
			'img'     => $common + array(
				'src'     => true,
				'alt'     => true,
				'loading' => true,
				'width'   => true,
				'height'  => true,
			),
		);
	}

	/**
	 * Offer links and product images are web URLs, nothing else.
	 *
	 * @return string[]
	 */
	public static function allowed_protocols() {
		return array( 'https', 'http' );
	}

	/**
	 * The fragment, safe to print.
	 *
	 * @param string $html Fragment from the service.
	 * @return string
	 */
	public static function sanitize( $html ) {
		return wp_kses( (string) $html, self::allowed_html(), self::allowed_protocols() );
	}
}
