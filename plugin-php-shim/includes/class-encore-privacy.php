<?php
/**
 * WordPress's personal-data exporter and eraser for what the Encore service holds.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Tools › Export/Erase Personal Data: asks the service, signed, for everything it holds about
 * an email address (POST /v1/admin/privacy/export → {"data":[{"group","id","items":[{"name",
 * "value"}]}]}) or to erase it (POST /v1/admin/privacy/erase → {"removed": n}), and maps the
 * answers to WordPress's shapes. The service answers one address in one page.
 */
class Encore_Privacy {

	const ID = 'encore';

	/**
	 * Seconds a privacy call may take.
	 */
	const TIMEOUT = 15.0;

	/**
	 * Settings.
	 *
	 * @var Encore_Settings
	 */
	private $settings;

	/**
	 * Returns an Encore_Client.
	 *
	 * @var callable
	 */
	private $client;

	/**
	 * Constructor.
	 *
	 * @param Encore_Settings $settings Settings.
	 * @param callable        $client   Returns an Encore_Client.
	 */
	public function __construct( Encore_Settings $settings, $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		add_filter( 'wp_privacy_personal_data_exporters', array( $this, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( $this, 'register_eraser' ) );
		add_action( 'admin_init', array( $this, 'privacy_policy_text' ) );
	}

	/**
	 * Adds the exporter.
	 *
	 * @param array $exporters Registered exporters.
	 * @return array
	 */
	public function register_exporter( $exporters ) {
		$exporters[ self::ID ] = array(
			'exporter_friendly_name' => __( 'Encore offers', 'encore' ),
			'callback'               => array( $this, 'export' ),
		);
		return $exporters;
	}

	/**
	 * Adds the eraser.
	 *
	 * @param array $erasers Registered erasers.
	 * @return array
	 */
	public function register_eraser( $erasers ) {
		$erasers[ self::ID ] = array(
			'eraser_friendly_name' => __( 'Encore offers', 'encore' ),
			'callback'             => array( $this, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Exporter callback.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page, from 1.
	 * @return array|WP_Error {data: array, done: bool}, or an error when the service cannot answer
	 *                        (an export that silently misses data would be worse than none).
	 */
	public function export( $email, $page = 1 ) {
		if ( (int) $page > 1 || ! $this->settings->is_configured() ) {
			return array(
				'data' => array(),
				'done' => true,
			);
		}
		$response = call_user_func( $this->client )->request( 'POST', '/v1/admin/privacy/export', array( 'email' => (string) $email ), self::TIMEOUT );
		if ( 200 !== $response->status || ! is_array( $response->body ) || ! isset( $response->body['data'] ) || ! is_array( $response->body['data'] ) ) {
			return new WP_Error(
				'encore_privacy_export',
				/* translators: %s: what went wrong. */
				sprintf( __( 'Encore could not export the data it holds for this address: %s', 'encore' ), $response->error_message() )
			);
		}
		return array(
			'data' => self::map_export( $response->body['data'] ),
			'done' => true,
		);
	}

	/**
	 * Eraser callback.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page, from 1.
	 * @return array {items_removed: bool, items_retained: bool, messages: string[], done: bool}
	 */
	public function erase( $email, $page = 1 ) {
		$result = array(
			'items_removed'  => false,
			'items_retained' => false,
			'messages'       => array(),
			'done'           => true,
		);
		if ( (int) $page > 1 || ! $this->settings->is_configured() ) {
			return $result;
		}
		$response = call_user_func( $this->client )->request( 'POST', '/v1/admin/privacy/erase', array( 'email' => (string) $email ), self::TIMEOUT );
		return self::map_erase( $response );
	}

	/**
	 * The service's export groups as WordPress export items.
	 *
	 * @param array $groups [{group, id, items: [{name, value}]}].
	 * @return array[]
	 */
	public static function map_export( $groups ) {
		$labels = array(
			'encore-offers'      => __( 'Encore offers', 'encore' ),
			'encore-purchases'   => __( 'Encore purchase history', 'encore' ),
			'encore-preferences' => __( 'Encore email preferences', 'encore' ),
		);
		$out = array();
		foreach ( $groups as $group ) {
			if ( ! is_array( $group ) || ! isset( $group['group'], $group['id'] ) || ! is_scalar( $group['group'] ) || ! is_scalar( $group['id'] ) ) {
				continue;
			}
			$group_id = (string) $group['group'];
			$data     = array();
			foreach ( isset( $group['items'] ) && is_array( $group['items'] ) ? $group['items'] : array() as $item ) {
				if ( is_array( $item ) && isset( $item['name'] ) && is_scalar( $item['name'] ) ) {
					$data[] = array(
						'name'  => (string) $item['name'],
						'value' => isset( $item['value'] ) && is_scalar( $item['value'] ) ? (string) $item['value'] : '',
					);
				}
			}
			$out[] = array(
				'group_id'          => $group_id,
				'group_label'       => isset( $labels[ $group_id ] ) ? $labels[ $group_id ] : $group_id,
				'group_description' => __( 'Post-purchase offers made by Encore and what it remembers to make them.', 'encore' ),
				'item_id'           => $group_id . '-' . (string) $group['id'],
				'data'              => $data,
			);
		}
		return $out;
	}

	/**
	 * The service's erase answer in WordPress's eraser shape. No answer, or not a 200 with
	 * {"removed": n}: the data is still there, so say it was retained and why.
	 *
	 * @param Encore_Response $response What came back.
	 * @return array
	 */
	public static function map_erase( Encore_Response $response ) {
		if ( 200 === $response->status && is_array( $response->body ) && isset( $response->body['removed'] ) && is_numeric( $response->body['removed'] ) ) {
			return array(
				'items_removed'  => (int) $response->body['removed'] > 0,
				'items_retained' => false,
				'messages'       => array(),
				'done'           => true,
			);
		}
		return array(
			'items_removed'  => false,
			'items_retained' => true,
			'messages'       => array(
				/* translators: %s: what went wrong. */
				sprintf( __( 'Encore could not reach its service, so its offers and purchase history for this address were kept. Try again later. (%s)', 'encore' ), $response->error_message() ),
			),
			'done'           => true,
		);
	}

	/**
	 * Suggested text for the site's privacy policy (Settings › Privacy).
	 */
	public function privacy_policy_text() {
		if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
			return;
		}
		$text = '<p>' . esc_html__( 'When you complete an order, this shop sends the order number, its key and status, your billing email address, your customer account number, the products and quantities you bought with their totals, the currency and your language to the Encore service this shop has connected, to decide which follow-up offers to show you and, if the shop enables it, to email them to you later. Offers expire; you can unsubscribe from offer emails with the link in each email.', 'encore' ) . '</p>';
		wp_add_privacy_policy_content( __( 'Encore for WooCommerce', 'encore' ), wp_kses_post( $text ) );
	}
}
