<?php
/**
 * WooCommerce › Encore: forms checked for capability and nonce, the service's field errors
 * shown beside the inputs with the submitted values kept, lists, health and funnel rendered.
 */

class AdminTest extends EncoreTestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$GLOBALS['encore_test']['products'][101] = new Encore_Test_Product( array( 'name' => 'Printer P-100 &ndash; #101' ) );
		$GLOBALS['encore_test']['products'][202] = new Encore_Test_Product( array( 'name' => 'Toner T-2' ) );
	}

	private function admin() {
		return new Encore_Admin( new Encore_Settings(), $this->client_factory() );
	}

	/**
	 * Submits a form to the page.
	 *
	 * @param Encore_Admin $admin  Page.
	 * @param string       $action encore_action.
	 * @param array        $fields Other fields.
	 * @return string|null Where it redirected, or null when the page renders.
	 */
	private function submit( Encore_Admin $admin, $action, array $fields = array() ) {
		$rule_id                   = isset( $fields['rule_id'] ) ? $fields['rule_id'] : '';
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_POST                     = array_merge(
			array(
				'encore_action' => $action,
				'_wpnonce'      => wp_create_nonce( Encore_Admin::nonce_action( $action, $rule_id ) ),
			),
			$fields
		);
		try {
			$admin->handle_post();
		} catch ( Encore_Test_Exit $exit ) {
			return $exit->getMessage();
		}
		return null;
	}

	private function render( Encore_Admin $admin, array $query ) {
		$_SERVER['REQUEST_METHOD'] = 'GET';
		$_GET                      = $query;
		ob_start();
		$admin->render();
		return ob_get_clean();
	}

	private static function rule_post() {
		return array(
			'name'             => 'Printer → toner',
			'enabled'          => '1',
			'kind'             => 'complement',
			'trigger_products' => array( '101' ),
			'offer_products'   => array( '202' ),
			'discount_type'    => 'percent',
			'discount_amount'  => '0',
			'thank_you'        => '1',
			'email_mode'       => 'delay',
			'delay_hours'      => '',
			'expires_hours'    => '72',
			'priority'         => '10',
		);
	}

	public function test_a_rule_the_service_refuses_comes_back_with_its_errors_beside_the_inputs_and_the_values_kept() {
		encore_test_queue_response( 400, '{"error":{"code":"invalid_request","message":"Invalid rule.","fields":{"offer.discount.amount":"must be greater than 0","channels.email":"an enabled email channel needs exactly one of delayHours or replenish"}}}', array( 'content-type' => 'application/json' ) );
		$admin = $this->admin();

		$this->assertNull( $this->submit( $admin, 'save_rule', self::rule_post() ) );
		$html = $this->render( $admin, array( 'page' => 'encore', 'tab' => 'rules' ) );

		$request = encore_test_requests()[0];
		$this->assertSame( 'POST', $request['args']['method'] );
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/rules', $request['url'] );
		$this->assertSignedFor( $request, 'shim-secret-Zx81Qp0Lm2' );
		$this->assertSame( array( 'encore_save_rule' ), $GLOBALS['encore_test']['nonces'] );

		$this->assertMatchesRegularExpression( '/name="discount_amount" value="0"[^>]*aria-invalid="true"[^>]*>\s*<p class="encore-field-error" id="encore-error-discount_amount">must be greater than 0<\/p>/', $html );
		$this->assertStringContainsString( 'id="encore-error-email_mode">an enabled email channel needs exactly one of delayHours or replenish</p>', $html );
		$this->assertStringContainsString( 'value="Printer → toner"', $html );
		// WooCommerce's formatted names hold entities; esc_html keeps them (no double encoding).
		$this->assertStringContainsString( '<option value="101" selected="selected">Printer P-100 &ndash; #101</option>', $html );
		$this->assertStringContainsString( '<option value="202" selected="selected">Toner T-2</option>', $html );
		$this->assertStringContainsString( 'data-action="woocommerce_json_search_products_and_variations"', $html );
		$this->assertStringContainsString( "value=\"delay\"  checked='checked'", $html );
		$this->assertStringContainsString( 'please correct the fields marked below', $html );
	}

	public function test_the_holdout_field_is_sent_and_shows_its_error_with_the_value_kept() {
		encore_test_queue_response( 400, '{"error":{"code":"invalid_request","message":"Invalid rule.","fields":{"holdoutPercent":"must be from 0 to 50"}}}', array( 'content-type' => 'application/json' ) );
		$admin = $this->admin();

		$this->submit( $admin, 'save_rule', array_merge( self::rule_post(), array( 'holdout_percent' => '60' ) ) );
		$html = $this->render( $admin, array( 'page' => 'encore', 'tab' => 'rules' ) );

		$this->assertSame( 60, json_decode( encore_test_requests()[0]['args']['body'], true )['holdoutPercent'] );
		$this->assertStringContainsString( '<label for="encore-holdout">Holdout %</label>', $html );
		$this->assertMatchesRegularExpression( '/name="holdout_percent" min="0" max="50" step="0.1" value="60"[^>]*aria-invalid="true"[^>]*>/', $html );
		$this->assertStringContainsString( '<p class="encore-field-error" id="encore-error-holdout_percent">must be from 0 to 50</p>', $html );
	}

	public function test_a_created_rule_goes_back_to_the_list_with_a_notice() {
		encore_test_queue_response( 201, '{"id":"r_new"}', array( 'content-type' => 'application/json' ) );

		$where = $this->submit( $this->admin(), 'save_rule', self::rule_post() );

		$this->assertSame( 'redirect:https://shop.test/wp-admin/admin.php?page=encore&tab=rules&encore_notice=created', $where );
	}

	public function test_an_edited_rule_is_put_to_its_id() {
		encore_test_queue_response( 200, '{"id":"r_abc"}', array( 'content-type' => 'application/json' ) );

		$where = $this->submit( $this->admin(), 'save_rule', array_merge( self::rule_post(), array( 'rule_id' => 'r_abc' ) ) );

		$this->assertSame( 'PUT', encore_test_requests()[0]['args']['method'] );
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/rules/r_abc', encore_test_requests()[0]['url'] );
		$this->assertStringEndsWith( 'encore_notice=updated', $where );
	}

	public function test_enable_disable_and_delete() {
		encore_test_queue_response( 200, '{}' );
		encore_test_queue_response( 204 );
		$admin = $this->admin();

		$disabled = $this->submit( $admin, 'toggle_rule', array( 'rule_id' => 'r_abc' ) );
		$deleted  = $this->submit( $admin, 'delete_rule', array( 'rule_id' => 'r_abc' ) );

		$requests = encore_test_requests();
		$this->assertSame( '{"enabled":false}', $requests[0]['args']['body'] );
		$this->assertSame( 'PUT', $requests[0]['args']['method'] );
		$this->assertSame( 'DELETE', $requests[1]['args']['method'] );
		$this->assertNull( $requests[1]['args']['body'] );
		$this->assertSignedFor( $requests[1], 'shim-secret-Zx81Qp0Lm2' );
		$this->assertStringEndsWith( 'encore_notice=disabled', $disabled );
		$this->assertStringEndsWith( 'encore_notice=deleted', $deleted );
	}

	public function test_a_forged_form_is_refused() {
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_POST                     = array(
			'encore_action' => 'delete_rule',
			'rule_id'       => 'r_abc',
			'_wpnonce'      => wp_create_nonce( 'encore_delete_rule_r_other' ),
		);

		try {
			$this->admin()->handle_post();
			$this->fail( 'expected the request to end' );
		} catch ( Encore_Test_Exit $exit ) {
			$this->assertStringStartsWith( 'die:', $exit->getMessage() );
		}
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_someone_without_manage_woocommerce_is_refused() {
		$GLOBALS['encore_test']['caps'] = array( 'read' );

		$where = $this->submit( $this->admin(), 'delete_rule', array( 'rule_id' => 'r_abc' ) );

		$this->assertStringStartsWith( 'die:', $where );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_a_malformed_rule_id_never_reaches_the_service() {
		$where = $this->submit( $this->admin(), 'delete_rule', array( 'rule_id' => '../healthz' ) );

		$this->assertStringStartsWith( 'die:', $where );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_settings_are_saved_and_a_blank_secret_keeps_the_old_one() {
		$where = $this->submit(
			$this->admin(),
			'save_settings',
			array(
				'service_url'     => 'http://10.0.0.5:8080/',
				'shim_secret'     => '',
				'thankyou_budget' => '2',
			)
		);

		$this->assertStringEndsWith( 'tab=connection&encore_notice=saved', $where );
		$this->assertSame( 'http://10.0.0.5:8080', get_option( Encore_Settings::OPTION_SERVICE_URL ) );
		$this->assertSame( 'shim-secret-Zx81Qp0Lm2', get_option( Encore_Settings::OPTION_SECRET ) );
		$this->assertSame( '2', get_option( Encore_Settings::OPTION_BUDGET ) );
	}

	public function test_a_bad_service_url_is_not_saved() {
		$admin = $this->admin();

		$this->assertNull( $this->submit( $admin, 'save_settings', array( 'service_url' => 'ftp://encore.test' ) ) );

		$this->assertSame( 'http://127.0.0.1:8080', get_option( Encore_Settings::OPTION_SERVICE_URL ) );
		$this->assertStringContainsString( 'must be an http:// or https:// address', $this->render( $admin, array( 'page' => 'encore' ) ) );
	}

	public function test_the_connection_test_shows_each_check() {
		encore_test_queue_response( 200, '{"status":"ok"}', array( 'content-type' => 'application/json' ) );
		encore_test_queue_response(
			200,
			wp_json_encode(
				array(
					'redis'         => 'ok',
					'queues'        => array(
						'order-evaluate' => array(
							'waiting' => 0,
							'delayed' => 2,
							'failed'  => 1,
						),
					),
					'woocommerce'   => array(
						'reachable' => true,
						'status'    => 200,
					),
					'webhooks'      => array(
						array(
							'topic'       => 'order.updated',
							'id'          => 7,
							'status'      => 'disabled',
							'deliveryUrl' => 'https://encore.test/webhooks/woocommerce',
						),
					),
					'missingTopics' => array( 'order.created' ),
				)
			),
			array( 'content-type' => 'application/json' )
		);
		$admin = $this->admin();

		$this->submit( $admin, 'test_connection' );
		$html = $this->render( $admin, array( 'page' => 'encore' ) );

		$requests = encore_test_requests();
		$this->assertSame( 'http://127.0.0.1:8080/healthz', $requests[0]['url'] );
		$this->assertArrayNotHasKey( 'Encore-Signature', $requests[0]['args']['headers'] );
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/health', $requests[1]['url'] );
		$this->assertSignedFor( $requests[1], 'shim-secret-Zx81Qp0Lm2' );
		$this->assertStringContainsString( 'Signature accepted', $html );
		$this->assertStringContainsString( 'waiting 0, delayed 2, failed 1', $html );
		$this->assertStringContainsString( '<code>order.updated</code>', $html );
		$this->assertStringContainsString( 'encore-status--bad">disabled', $html );
		$this->assertStringContainsString( 'Missing: order.created.', $html );
		// Reachable, signature, Redis, WooCommerce: four yes/no answers, all yes.
		$this->assertSame( 4, substr_count( $html, 'encore-status encore-status--ok' ) );
	}

	public function test_a_refused_signature_says_what_to_check() {
		encore_test_queue_response( 200, '{"status":"ok"}' );
		encore_test_queue_response( 401, '{"error":{"code":"invalid_signature","message":"No signature matches."}}' );
		$admin = $this->admin();

		$this->submit( $admin, 'test_connection' );
		$html = $this->render( $admin, array( 'page' => 'encore' ) );

		$this->assertStringContainsString( 'the shared secret differs from ENCORE_SHIM_SECRET', $html );
	}

	public function test_webhook_setup_shows_what_was_done() {
		encore_test_queue_response(
			200,
			'{"webhooks":[{"topic":"order.created","id":11,"status":"active","action":"created"},{"topic":"order.updated","id":7,"status":"active","action":"reactivated"}],"warnings":["WordPress delivers webhooks only to ports 80, 443 and 8080, not 3000."]}'
		);
		$admin = $this->admin();

		$this->submit( $admin, 'setup_webhooks' );
		$html = $this->render( $admin, array( 'page' => 'encore' ) );

		$this->assertSame( '{}', encore_test_requests()[0]['args']['body'] );
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/webhooks/setup', encore_test_requests()[0]['url'] );
		$this->assertStringContainsString( 're-activated', $html );
		$this->assertStringContainsString( 'not 3000.', $html );
	}

	public function test_the_rules_list_shows_each_rule_with_its_products_and_actions() {
		encore_test_queue_response(
			200,
			wp_json_encode(
				array(
					'rules' => array(
						array(
							'id'                => 'r_8k2m9q4x7f3z',
							'name'              => 'Printer → toner <b>',
							'enabled'           => false,
							'kind'              => 'complement',
							'trigger'           => array(
								'productIds'    => array( 101 ),
								'minOrderTotal' => '0.00',
							),
							'offer'             => array(
								'productIds' => array( 202, 999 ),
								'discount'   => array(
									'type'   => 'percent',
									'amount' => '15.00',
								),
							),
							'channels'          => array( 'thankYou' => true ),
							'expiresAfterHours' => 72,
							'priority'          => 10,
						),
					),
				)
			)
		);

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules' ) );

		$this->assertStringContainsString( 'Printer → toner &lt;b&gt;', $html );
		$this->assertStringContainsString( 'Toner T-2, #999 (deleted product)', $html );
		$this->assertStringContainsString( '15.00% off', $html );
		$this->assertStringContainsString( 'value="nonce:encore_toggle_rule_r_8k2m9q4x7f3z"', $html );
		$this->assertStringContainsString( 'value="nonce:encore_delete_rule_r_8k2m9q4x7f3z"', $html );
		$this->assertStringContainsString( '>Enable</button>', $html );
		$this->assertStringContainsString( 'view=edit&amp;rule=r_8k2m9q4x7f3z', $html );
	}

	public function test_a_new_rule_starts_from_the_defaults() {
		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules', 'view' => 'new' ) );

		$this->assertSame( array(), encore_test_requests() );
		$this->assertStringContainsString( 'value="nonce:encore_save_rule"', $html );
		$this->assertStringContainsString( 'name="expires_hours" min="1" step="1" value="72"', $html );
		$this->assertStringNotContainsString( 'name="rule_id"', $html );
		$this->assertStringContainsString( 'Create rule', $html );
	}

	public function test_editing_loads_the_rule_into_the_form() {
		encore_test_queue_response( 200, '{"id":"r_abc","name":"Razor → blades","enabled":true,"kind":"complement","trigger":{"productIds":[101],"minOrderTotal":"0.00"},"offer":{"productIds":[202],"discount":{"type":"fixed_product","amount":"5.00"}},"channels":{"thankYou":false,"email":{"enabled":true,"replenish":{"daysPerUnit":30,"leadDays":5}}},"expiresAfterHours":168,"priority":0}' );

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules', 'view' => 'edit', 'rule' => 'r_abc' ) );

		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/rules/r_abc', encore_test_requests()[0]['url'] );
		$this->assertStringContainsString( 'value="Razor → blades"', $html );
		$this->assertStringContainsString( 'value="nonce:encore_save_rule_r_abc"', $html );
		$this->assertStringContainsString( '<input type="hidden" name="rule_id" value="r_abc">', $html );
		$this->assertStringContainsString( "value=\"fixed_product\"  selected='selected'", $html );
		$this->assertStringContainsString( "value=\"replenish\"  checked='checked'", $html );
		$this->assertStringContainsString( 'name="replenish_days" min="0" step="any" value="30"', $html );
		$this->assertStringContainsString( 'Save rule', $html );
	}

	public function test_a_learned_rule_shows_how_many_and_the_minimum_instead_of_the_products() {
		encore_test_queue_response( 200, '{"id":"r_abc","name":"Bought with <i>","enabled":true,"kind":"bought_together","trigger":{"productIds":[101],"minOrderTotal":"0.00"},"offer":{"fromHistory":{"top":3,"minSupport":2.5},"discount":{"type":"percent","amount":"10.00"}},"channels":{"thankYou":true},"expiresAfterHours":72,"priority":0}' );

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules', 'view' => 'edit', 'rule' => 'r_abc' ) );

		$this->assertStringContainsString( 'value="Bought with &lt;i&gt;"', $html );
		$this->assertStringContainsString( "value=\"bought_together\"  selected='selected'>Bought together (learned)</option>", $html );
		$this->assertStringContainsString( '<tr class="encore-offer-named" hidden>', $html );
		$this->assertStringContainsString( '<tr class="encore-offer-learned">', $html );
		$this->assertStringContainsString( 'name="history_top" min="1" max="10" step="1" value="3"', $html );
		$this->assertStringContainsString( 'name="history_support" min="0" step="any" value="2.5"', $html );
	}

	public function test_a_new_rule_shows_the_offered_products_and_hides_the_learned_inputs() {
		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules', 'view' => 'new' ) );

		$this->assertStringContainsString( '<tr class="encore-offer-named">', $html );
		$this->assertStringContainsString( '<tr class="encore-offer-learned" hidden>', $html );
		$this->assertStringContainsString( 'How many products', $html );
		$this->assertStringContainsString( 'Minimum co-purchases', $html );
	}

	public function test_a_refused_learned_rule_shows_its_errors_beside_the_learned_inputs() {
		encore_test_queue_response( 400, '{"error":{"code":"invalid_request","message":"Invalid rule.","fields":{"offer.fromHistory.top":"at most 10 <b>","offer.fromHistory.minSupport":"must be greater than 0"}}}', array( 'content-type' => 'application/json' ) );
		$admin = $this->admin();
		$post  = array_merge(
			self::rule_post(),
			array(
				'kind'            => 'bought_together',
				'history_top'     => '11',
				'history_support' => '0',
			)
		);

		$this->assertNull( $this->submit( $admin, 'save_rule', $post ) );
		$html = $this->render( $admin, array( 'page' => 'encore', 'tab' => 'rules' ) );

		$sent = json_decode( encore_test_requests()[0]['args']['body'], true );
		$this->assertSame( array( 'top' => 11, 'minSupport' => 0 ), $sent['offer']['fromHistory'] );
		$this->assertStringContainsString( '<p class="encore-field-error" id="encore-error-history_top">at most 10 &lt;b&gt;</p>', $html );
		$this->assertStringContainsString( '<p class="encore-field-error" id="encore-error-history_support">must be greater than 0</p>', $html );
		$this->assertStringContainsString( 'name="history_top" min="1" max="10" step="1" value="11" aria-invalid="true" aria-describedby="encore-error-history_top"', $html );
	}

	public function test_the_rules_list_describes_a_learned_rule_by_how_many_and_the_minimum() {
		encore_test_queue_response( 200, '{"rules":[{"id":"r_8k2m9q4x7f3z","name":"Bought with the printer","enabled":true,"kind":"bought_together","trigger":{"productIds":[101],"minOrderTotal":"0.00"},"offer":{"fromHistory":{"top":3,"minSupport":2},"discount":{"type":"percent","amount":"10.00"}},"channels":{"thankYou":true},"expiresAfterHours":72,"priority":0}]}' );

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'rules' ) );

		$this->assertStringContainsString( '<td>Bought together (learned)</td>', $html );
		$this->assertStringContainsString( 'Up to 3 most bought together (at least 2 co-purchases)', $html );
	}

	public function test_the_funnel_asks_for_the_period_and_shows_sums_and_a_chart() {
		encore_test_queue_response(
			200,
			'{"from":"2026-11-01","to":"2026-11-30","rules":[{"ruleId":"r_1","name":"Printer → toner","channels":{"thank_you":{"issued":4,"shown":4,"emailed":0,"clicked":2,"redeemed":1,"revenue":{"PLN":"12.00"}},"email":{"issued":3,"shown":0,"emailed":3,"clicked":1,"redeemed":1,"revenue":{"PLN":"8.50"}}}}]}'
		);

		$html = $this->render(
			$this->admin(),
			array(
				'page'          => 'encore',
				'tab'           => 'funnel',
				'from'          => '2026-11-01',
				'to'            => '2026-11-30',
				'_encore_nonce' => wp_create_nonce( 'encore_funnel' ),
			)
		);

		$request = encore_test_requests()[0];
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/stats?from=2026-11-01&to=2026-11-30', $request['url'] );
		$this->assertSignedFor( $request, 'shim-secret-Zx81Qp0Lm2' );
		$this->assertMatchesRegularExpression( '/<th scope="row">Printer → toner<\/th>\s*<td class="num">7<\/td>\s*<td class="num">4<\/td>\s*<td class="num">3<\/td>\s*<td class="num">3<\/td>\s*<td class="num">2<\/td>\s*<td class="num">20.50\x{00A0}PLN<\/td>/u', $html );
		$this->assertStringContainsString( '<svg class="encore-chart"', $html );
	}

	public function test_the_funnel_shows_the_lift_of_rules_with_a_holdout_and_waits_for_enough_data() {
		$lift = function ( $name, $holdout, $enough, $treated ) {
			return array(
				'ruleId'   => 'r_' . $holdout,
				'name'     => $name,
				'channels' => array(),
				'lift'     => array(
					'holdoutPercent'     => $holdout,
					'treated'            => array( 'orders' => $treated, 'conversions' => 30, 'conversionRate' => 30 / $treated ),
					'control'            => array( 'orders' => 100, 'conversions' => 10, 'conversionRate' => 0.1 ),
					'absoluteLift'       => array( 'estimate' => 0.05, 'low' => -0.0268535, 'high' => 0.1268535 ),
					'incrementalRevenue' => array( 'PLN' => '1400.00' ),
					'enoughData'         => $enough,
					'minSamplePerGroup'  => 100,
				),
			);
		};
		$body = array(
			'from'  => '2026-11-01',
			'to'    => '2026-11-30',
			'rules' => array(
				$lift( 'Printer <b>toner</b>', 10, true, 200 ),
				$lift( 'Razor → blades', 12.5, false, 60 ),
				$lift( 'No holdout', 0, false, 60 ),
			),
		);
		encore_test_queue_response( 200, wp_json_encode( $body ) );

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'funnel' ) );

		$this->assertStringContainsString( '<h3>Measured lift</h3>', $html );
		$this->assertMatchesRegularExpression(
			'/<th scope="row">Printer &lt;b&gt;toner&lt;\/b&gt;<\/th>\s*<td class="num">10.0%<\/td>\s*<td class="num">200<\/td>\s*<td class="num">100<\/td>\s*<td class="num">15.0%<\/td>\s*<td class="num">10.0%<\/td>\s*<td class="num">\+5.0 pp \(-2.7 to \+12.7\)<\/td>\s*<td class="num">1,400.00\x{00A0}PLN<\/td>/u',
			$html
		);
		$this->assertMatchesRegularExpression( '/<th scope="row">Razor → blades<\/th>\s*<td class="num">12.5%<\/td>\s*<td class="num">60<\/td>.*?Not enough data yet \(needs 100 orders in each group\)<\/td>/su', $html );
		$this->assertSame( 1, substr_count( $html, 'Not enough data yet' ) );
		$this->assertSame( 1, substr_count( $html, '1,400.00' ) );
		$this->assertStringNotContainsString( '<th scope="row">No holdout</th>', substr( $html, strpos( $html, 'Measured lift' ) ) );
	}

	public function test_the_funnel_shows_nothing_about_lift_when_no_rule_holds_orders_out() {
		encore_test_queue_response( 200, '{"from":"x","to":"y","rules":[{"ruleId":"r_1","name":"A","channels":{},"lift":null}]}' );

		$html = $this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'funnel' ) );

		$this->assertStringContainsString( '<th scope="row">A</th>', $html );
		$this->assertStringNotContainsString( 'lift', strtolower( $html ) );
		$this->assertStringNotContainsString( 'Holdout', $html );
	}

	public function test_the_funnel_defaults_to_the_last_thirty_days_and_ignores_a_period_without_its_nonce() {
		encore_test_queue_response( 200, '{"from":"x","to":"y","rules":[]}' );

		$this->render( $this->admin(), array( 'page' => 'encore', 'tab' => 'funnel', 'from' => '2020-01-01', 'to' => '2020-01-02' ) );

		$expected = '/v1/admin/stats?from=' . gmdate( 'Y-m-d', time() - 29 * DAY_IN_SECONDS ) . '&to=' . gmdate( 'Y-m-d' );
		$this->assertSame( 'http://127.0.0.1:8080' . $expected, encore_test_requests()[0]['url'] );
	}

	public function test_the_funnel_shows_the_services_period_errors() {
		encore_test_queue_response( 400, '{"error":{"code":"invalid_request","message":"Invalid stats range.","fields":{"from":"must not be after to"}}}' );

		$html = $this->render(
			$this->admin(),
			array(
				'page'          => 'encore',
				'tab'           => 'funnel',
				'from'          => '2026-12-01',
				'to'            => '2026-11-01',
				'_encore_nonce' => wp_create_nonce( 'encore_funnel' ),
			)
		);

		$this->assertStringContainsString( 'From: must not be after to', $html );
	}

	public function test_the_page_sits_under_woocommerce_for_shop_managers() {
		$this->admin()->add_menu();

		$this->assertSame( array( array( 'woocommerce', 'manage_woocommerce', 'encore' ) ), $GLOBALS['encore_test']['menu'] );
		$this->assertContains( 'load-woocommerce_page_encore', array_column( $GLOBALS['encore_test']['hooks'], 0 ) );
	}

	public function test_the_product_search_and_admin_styles_load_on_this_page_only() {
		$admin = $this->admin();
		$admin->add_menu();

		$admin->enqueue( 'woocommerce_page_wc-settings' );
		$this->assertArrayNotHasKey( 'scripts', $GLOBALS['encore_test'] );
		$this->assertArrayNotHasKey( 'woocommerce_admin_styles', $GLOBALS['encore_test']['styles'] );

		$admin->enqueue( 'woocommerce_page_encore' );
		$this->assertArrayHasKey( 'wc-enhanced-select', $GLOBALS['encore_test']['scripts'] );
		$this->assertArrayHasKey( 'woocommerce_admin_styles', $GLOBALS['encore_test']['styles'] );
	}

	public function test_the_plugins_screen_gets_a_settings_link_first() {
		$links = Encore_Plugin::action_links( array( 'deactivate' => '<a href="#">Deactivate</a>' ) );

		$this->assertSame( '<a href="https://shop.test/wp-admin/admin.php?page=encore">Settings</a>', $links[0] );
	}
}
