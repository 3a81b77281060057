<?php
/**
 * WooCommerce › Encore: connection, rules and funnel.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * The settings page. Forms post back to the page itself; the load-<page> hook handles them
 * before any output (capability, nonce), redirects after a change that succeeded, and keeps
 * the submitted values and the service's field errors when it did not.
 */
class Encore_Admin {

	const CAPABILITY = 'manage_woocommerce';
	const TABS       = array( 'connection', 'rules', 'funnel' );
	const RULE_ID    = '/^r_[0-9a-z]{1,32}$/';

	/**
	 * Seconds an admin page waits for the service (health and webhook setup also call WooCommerce).
	 */
	const TIMEOUT = 20.0;

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
	 * Hook suffix of the page.
	 *
	 * @var string
	 */
	private $hook = '';

	/**
	 * What a handled form leaves for the page: errors, results, form values.
	 *
	 * @var array
	 */
	private $state = array();

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
		add_action( 'admin_menu', array( $this, 'add_menu' ), 60 );
		// After WooCommerce registers its admin scripts and styles (priority 10).
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ), 20 );
	}

	/**
	 * Adds the submenu under WooCommerce.
	 */
	public function add_menu() {
		$hook = add_submenu_page(
			'woocommerce',
			__( 'Encore', 'encore' ),
			__( 'Encore', 'encore' ),
			self::CAPABILITY,
			Encore_Plugin::PAGE_SLUG,
			array( $this, 'render' )
		);
		if ( $hook ) {
			$this->hook = $hook;
			add_action( 'load-' . $hook, array( $this, 'handle_post' ) );
		}
	}

	/**
	 * WooCommerce's product search and admin styles, and the page's own, on this page only.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public function enqueue( $hook_suffix ) {
		if ( '' === $this->hook || $hook_suffix !== $this->hook ) {
			return;
		}
		wp_enqueue_style( 'woocommerce_admin_styles' );
		wp_enqueue_script( 'wc-enhanced-select' );
		wp_enqueue_style( 'encore-admin', ENCORE_PLUGIN_URL . 'assets/css/encore-admin.css', array(), ENCORE_VERSION );
		wp_enqueue_script( 'encore-admin', ENCORE_PLUGIN_URL . 'assets/js/encore-admin.js', array(), ENCORE_VERSION, true );
	}

	/**
	 * The client for the configured service.
	 *
	 * @return Encore_Client
	 */
	private function client() {
		return call_user_func( $this->client );
	}

	/**
	 * The tab asked for.
	 *
	 * @return string
	 */
	private function tab() {
		$tab = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- navigation only.
		return in_array( $tab, self::TABS, true ) ? $tab : 'connection';
	}

	/**
	 * load-<page>: handles a submitted form.
	 */
	public function handle_post() {
		if ( ! isset( $_SERVER['REQUEST_METHOD'] ) || 'POST' !== $_SERVER['REQUEST_METHOD'] || ! isset( $_POST['encore_action'] ) ) {
			return;
		}
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage Encore.', 'encore' ), 403 );
		}
		$action  = sanitize_key( wp_unslash( $_POST['encore_action'] ) );
		$rule_id = isset( $_POST['rule_id'] ) ? sanitize_text_field( wp_unslash( $_POST['rule_id'] ) ) : '';
		if ( '' !== $rule_id && ! preg_match( self::RULE_ID, $rule_id ) ) {
			wp_die( esc_html__( 'That is not an Encore rule id.', 'encore' ), 400 );
		}
		check_admin_referer( self::nonce_action( $action, $rule_id ) );

		switch ( $action ) {
			case 'save_settings':
				$this->save_settings();
				break;
			case 'test_connection':
				$this->state['test'] = $this->test_connection();
				break;
			case 'setup_webhooks':
				$this->state['setup'] = $this->client()->request( 'POST', '/v1/admin/webhooks/setup', new stdClass(), self::TIMEOUT );
				break;
			case 'save_rule':
				$this->save_rule( $rule_id );
				break;
			case 'toggle_rule':
				$enabled  = ! empty( $_POST['enabled'] );
				$response = $this->client()->request( 'PUT', '/v1/admin/rules/' . $rule_id, array( 'enabled' => $enabled ), self::TIMEOUT );
				$this->redirect_or_fail( $response, 'rules', $enabled ? 'enabled' : 'disabled' );
				break;
			case 'delete_rule':
				$response = $this->client()->request( 'DELETE', '/v1/admin/rules/' . $rule_id, null, self::TIMEOUT );
				$this->redirect_or_fail( $response, 'rules', 'deleted' );
				break;
		}
	}

	/**
	 * The nonce action of a form.
	 *
	 * @param string $action  Form action.
	 * @param string $rule_id Rule id, or ''.
	 * @return string
	 */
	public static function nonce_action( $action, $rule_id = '' ) {
		return 'encore_' . $action . ( '' !== $rule_id ? '_' . $rule_id : '' );
	}

	/**
	 * Saves the connection settings.
	 */
	private function save_settings() {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked in handle_post().
		$raw_url = isset( $_POST['service_url'] ) ? trim( (string) wp_unslash( $_POST['service_url'] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated and escaped by sanitize_service_url().
		$url     = Encore_Settings::sanitize_service_url( $raw_url );
		// The secret is used byte for byte in the HMAC: trimmed, never otherwise altered.
		$secret = isset( $_POST['shim_secret'] ) ? trim( (string) wp_unslash( $_POST['shim_secret'] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		$budget = Encore_Settings::sanitize_budget( isset( $_POST['thankyou_budget'] ) ? sanitize_text_field( wp_unslash( $_POST['thankyou_budget'] ) ) : '' );
		// phpcs:enable
		if ( '' !== $raw_url && '' === $url ) {
			$this->state['settings_error'] = __( 'The service URL must be an http:// or https:// address without a query string, e.g. http://127.0.0.1:8080.', 'encore' );
			return;
		}
		$this->settings->save( $url, '' === $secret || $this->settings->secret_is_constant() ? null : $secret, $budget );
		$this->redirect( 'connection', 'saved' );
	}

	/**
	 * Reachability (unsigned /healthz), then everything behind the signature (/v1/admin/health).
	 *
	 * @return array{healthz: Encore_Response, health: Encore_Response|null}
	 */
	private function test_connection() {
		$client  = $this->client();
		$healthz = $client->probe( '/healthz', 5.0 );
		return array(
			'healthz' => $healthz,
			'health'  => null === $healthz->error ? $client->request( 'GET', '/v1/admin/health', null, self::TIMEOUT ) : null,
		);
	}

	/**
	 * Creates or updates a rule; on field errors the form shows again with them.
	 *
	 * @param string $rule_id Rule id, or '' for a new rule.
	 */
	private function save_rule( $rule_id ) {
		$values   = Encore_Rule_Form::values_from_post( wp_unslash( $_POST ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing,WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- nonce checked in handle_post(); each field sanitized in values_from_post().
		$payload  = Encore_Rule_Form::to_payload( $values );
		$response = '' === $rule_id
			? $this->client()->request( 'POST', '/v1/admin/rules', $payload, self::TIMEOUT )
			: $this->client()->request( 'PUT', '/v1/admin/rules/' . $rule_id, $payload, self::TIMEOUT );
		if ( $response->ok() ) {
			$this->redirect( 'rules', '' === $rule_id ? 'created' : 'updated' );
		}
		$this->state['form'] = array(
			'rule_id' => $rule_id,
			'values'  => $values,
			'errors'  => Encore_Rule_Form::errors_by_field( $response->field_errors() ),
			'message' => 400 === $response->status
				? __( 'The rule was not saved: please correct the fields marked below.', 'encore' )
				: $response->error_message(),
		);
	}

	/**
	 * Redirects after a change the service accepted, or keeps its error for the page.
	 *
	 * @param Encore_Response $response Answer.
	 * @param string          $tab      Tab to return to.
	 * @param string          $notice   Notice code for the next page.
	 */
	private function redirect_or_fail( Encore_Response $response, $tab, $notice ) {
		if ( $response->ok() ) {
			$this->redirect( $tab, $notice );
		}
		$this->state['error'] = $response->error_message();
	}

	/**
	 * Post/redirect/get with a notice code.
	 *
	 * @param string $tab    Tab.
	 * @param string $notice Notice code.
	 */
	private function redirect( $tab, $notice ) {
		wp_safe_redirect( Encore_Plugin::admin_url( $tab, array( 'encore_notice' => $notice ) ) );
		exit;
	}

	/**
	 * The notice named in the URL after a redirect.
	 *
	 * @return string
	 */
	private function notice_text() {
		$notices = array(
			'saved'    => __( 'Settings saved.', 'encore' ),
			'created'  => __( 'Rule created.', 'encore' ),
			'updated'  => __( 'Rule updated.', 'encore' ),
			'enabled'  => __( 'Rule enabled.', 'encore' ),
			'disabled' => __( 'Rule disabled.', 'encore' ),
			'deleted'  => __( 'Rule deleted.', 'encore' ),
		);
		$code    = isset( $_GET['encore_notice'] ) ? sanitize_key( wp_unslash( $_GET['encore_notice'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display only.
		return isset( $notices[ $code ] ) ? $notices[ $code ] : '';
	}

	/**
	 * Renders the page.
	 */
	public function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$tab      = $this->tab();
		$tabs     = array(
			'connection' => __( 'Connection', 'encore' ),
			'rules'      => __( 'Rules', 'encore' ),
			'funnel'     => __( 'Funnel', 'encore' ),
		);
		$notice   = $this->notice_text();
		$error    = isset( $this->state['error'] ) ? $this->state['error'] : '';
		$settings = $this->settings;
		include __DIR__ . '/views/html-admin-page.php';
	}

	/**
	 * Renders the current tab (called by the page view).
	 *
	 * @param string $tab Tab.
	 */
	public function render_tab( $tab ) {
		$settings = $this->settings;
		if ( 'connection' === $tab ) {
			$test  = isset( $this->state['test'] ) ? $this->state['test'] : null;
			$setup = isset( $this->state['setup'] ) ? $this->state['setup'] : null;
			$error = isset( $this->state['settings_error'] ) ? $this->state['settings_error'] : '';
			include __DIR__ . '/views/html-admin-connection.php';
			return;
		}
		if ( ! $settings->is_configured() ) {
			echo '<p>' . esc_html__( 'Set the service URL and the shared secret on the Connection tab first.', 'encore' ) . '</p>';
			return;
		}
		if ( 'rules' === $tab ) {
			$this->render_rules();
			return;
		}
		$this->render_funnel();
	}

	/**
	 * The rules list, or the form for a new or an existing rule.
	 */
	private function render_rules() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- navigation only.
		// "view", not "action": admin.php turns ?action=x into the admin_action_x hook.
		$view    = isset( $_GET['view'] ) ? sanitize_key( wp_unslash( $_GET['view'] ) ) : '';
		$rule_id = isset( $_GET['rule'] ) ? sanitize_text_field( wp_unslash( $_GET['rule'] ) ) : '';
		// phpcs:enable
		if ( isset( $this->state['form'] ) ) {
			$form = $this->state['form'];
			include __DIR__ . '/views/html-admin-rule-form.php';
			return;
		}
		if ( 'new' === $view ) {
			$form = array(
				'rule_id' => '',
				'values'  => Encore_Rule_Form::defaults(),
				'errors'  => array( '_other' => array() ),
				'message' => '',
			);
			include __DIR__ . '/views/html-admin-rule-form.php';
			return;
		}
		if ( 'edit' === $view && preg_match( self::RULE_ID, $rule_id ) ) {
			$response = $this->client()->request( 'GET', '/v1/admin/rules/' . $rule_id, null, self::TIMEOUT );
			if ( $response->ok() && is_array( $response->body ) ) {
				$form = array(
					'rule_id' => $rule_id,
					'values'  => Encore_Rule_Form::values_from_rule( $response->body ),
					'errors'  => array( '_other' => array() ),
					'message' => '',
				);
				include __DIR__ . '/views/html-admin-rule-form.php';
				return;
			}
			self::print_error( $response->error_message() );
		}
		$response = $this->client()->request( 'GET', '/v1/admin/rules', null, self::TIMEOUT );
		$rules    = $response->ok() && isset( $response->body['rules'] ) && is_array( $response->body['rules'] ) ? $response->body['rules'] : null;
		if ( null === $rules ) {
			self::print_error( $response->error_message() );
			return;
		}
		include __DIR__ . '/views/html-admin-rules.php';
	}

	/**
	 * The funnel for a period (UTC days, as the service counts them).
	 */
	private function render_funnel() {
		$to   = gmdate( 'Y-m-d' );
		$from = gmdate( 'Y-m-d', time() - 29 * DAY_IN_SECONDS );
		// A GET form: the nonce only guards against someone else's link choosing the period.
		if ( isset( $_GET['from'], $_GET['to'], $_GET['_encore_nonce'] ) && wp_verify_nonce( sanitize_text_field( wp_unslash( $_GET['_encore_nonce'] ) ), 'encore_funnel' ) ) {
			$from = self::day( sanitize_text_field( wp_unslash( $_GET['from'] ) ), $from );
			$to   = self::day( sanitize_text_field( wp_unslash( $_GET['to'] ) ), $to );
		}
		$response = $this->client()->request( 'GET', '/v1/admin/stats?' . http_build_query( array( 'from' => $from, 'to' => $to ) ), null, self::TIMEOUT );
		$errors   = $response->field_errors();
		$rows     = $response->ok() ? Encore_Stats::rows( $response->body ) : null;
		$failure  = $response->ok() || ! empty( $errors ) ? '' : $response->error_message();
		include __DIR__ . '/views/html-admin-funnel.php';
	}

	/**
	 * A YYYY-MM-DD calendar day, or the fallback.
	 *
	 * @param string $value    Input.
	 * @param string $fallback Fallback.
	 * @return string
	 */
	private static function day( $value, $fallback ) {
		if ( preg_match( '/^(\d{4})-(\d{2})-(\d{2})$/', $value, $m ) && checkdate( (int) $m[2], (int) $m[3], (int) $m[1] ) ) {
			return $value;
		}
		return $fallback;
	}

	/**
	 * Option labels for product ids (the selected options of a product search select).
	 *
	 * @param int[] $ids Product or variation ids.
	 * @return array<int, string>
	 */
	public static function product_labels( $ids ) {
		$labels = array();
		foreach ( $ids as $id ) {
			$product       = wc_get_product( $id );
			$labels[ $id ] = $product
				? wp_strip_all_tags( $product->get_formatted_name() )
				/* translators: %d: product id. */
				: sprintf( __( '#%d (deleted product)', 'encore' ), $id );
		}
		return $labels;
	}

	/**
	 * An error notice.
	 *
	 * @param string $message Message.
	 */
	public static function print_error( $message ) {
		echo '<div class="notice notice-error inline"><p>' . esc_html( $message ) . '</p></div>';
	}
}
