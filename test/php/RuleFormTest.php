<?php
/**
 * The rule form: submitted fields to the service's rule JSON, back, and its field errors to inputs.
 */

class RuleFormTest extends EncoreTestCase {

	/**
	 * The README's example rule.
	 */
	private static function readme_rule() {
		return array(
			'name'              => 'Printer → toner',
			'enabled'           => true,
			'kind'              => 'complement',
			'trigger'           => array(
				'productIds'    => array( 101 ),
				'minOrderTotal' => '0',
			),
			'offer'             => array(
				'productIds' => array( 202 ),
				'discount'   => array(
					'type'   => 'percent',
					'amount' => '15',
				),
			),
			'channels'          => array( 'thankYou' => true ),
			'expiresAfterHours' => 72,
			'priority'          => 10,
		);
	}

	public function test_a_submitted_form_becomes_the_readmes_rule() {
		$post = array(
			'name'             => ' Printer → toner ',
			'enabled'          => '1',
			'kind'             => 'complement',
			'trigger_products' => array( '101' ),
			'min_order_total'  => '0',
			'offer_products'   => array( '202', '202' ),
			'discount_type'    => 'percent',
			'discount_amount'  => '15',
			'thank_you'        => '1',
			'email_mode'       => 'off',
			'delay_hours'      => '48',
			'expires_hours'    => '72',
			'priority'         => '10',
		);

		$payload = Encore_Rule_Form::to_payload( Encore_Rule_Form::values_from_post( $post ) );

		$this->assertSame( self::readme_rule(), $payload );
	}

	public function test_unchecked_boxes_are_false() {
		$values = Encore_Rule_Form::values_from_post( array( 'name' => 'x' ) );

		$this->assertFalse( $values['enabled'] );
		$this->assertFalse( $values['thank_you'] );
		$this->assertSame( 'off', $values['email_mode'] );
	}

	public function test_an_email_after_a_delay() {
		$values = array_merge(
			Encore_Rule_Form::defaults(),
			array(
				'email_mode'  => 'delay',
				'delay_hours' => '48',
			)
		);

		$this->assertSame(
			array(
				'thankYou' => true,
				'email'    => array(
					'enabled'    => true,
					'delayHours' => 48,
				),
			),
			Encore_Rule_Form::to_payload( $values )['channels']
		);
	}

	public function test_an_email_when_the_consumable_runs_out() {
		$values = array_merge(
			Encore_Rule_Form::defaults(),
			array(
				'thank_you'      => false,
				'email_mode'     => 'replenish',
				'replenish_days' => '30.5',
				'lead_days'      => '5',
			)
		);

		$this->assertSame(
			array(
				'thankYou' => false,
				'email'    => array(
					'enabled'   => true,
					'replenish' => array(
						'daysPerUnit' => 30.5,
						'leadDays'    => 5,
					),
				),
			),
			Encore_Rule_Form::to_payload( $values )['channels']
		);
	}

	public function test_values_the_service_cannot_take_are_sent_as_typed_so_it_names_the_field() {
		$values = array_merge(
			Encore_Rule_Form::defaults(),
			array(
				'expires_hours'   => 'three days',
				'discount_amount' => '',
				'priority'        => '',
			)
		);

		$payload = Encore_Rule_Form::to_payload( $values );

		$this->assertSame( 'three days', $payload['expiresAfterHours'] );
		$this->assertSame( '', $payload['offer']['discount']['amount'] );
		$this->assertArrayNotHasKey( 'priority', $payload );
	}

	public function test_a_decimal_comma_becomes_a_point() {
		$values = array_merge( Encore_Rule_Form::defaults(), array( 'discount_amount' => '12,50' ) );

		$this->assertSame( '12.50', Encore_Rule_Form::to_payload( $values )['offer']['discount']['amount'] );
	}

	public function test_a_stored_rule_fills_the_form_and_saves_back_unchanged() {
		$rule = array_merge(
			self::readme_rule(),
			array(
				'id'        => 'r_8k2m9q4x7f3z',
				'createdAt' => '2026-11-01T10:00:00.000Z',
				'updatedAt' => '2026-11-02T10:00:00.000Z',
				'channels'  => array(
					'thankYou' => true,
					'email'    => array(
						'enabled'   => true,
						'replenish' => array(
							'daysPerUnit' => 90,
							'leadDays'    => 7,
						),
					),
				),
			)
		);
		$values = Encore_Rule_Form::values_from_rule( $rule );

		$this->assertSame( 'replenish', $values['email_mode'] );
		$this->assertSame( '90', $values['replenish_days'] );
		$this->assertSame( array( 101 ), $values['trigger_products'] );

		$expected = $rule;
		unset( $expected['id'], $expected['createdAt'], $expected['updatedAt'] );
		$this->assertSame( $expected, Encore_Rule_Form::to_payload( $values ) );
	}

	public function test_field_errors_go_beside_their_inputs() {
		$errors = Encore_Rule_Form::errors_by_field(
			array(
				'offer.discount.amount'                => 'must be greater than 0',
				'trigger.productIds'                   => 'must list at least one product id',
				'offer.productIds.1'                   => 'Too big',
				'channels.email'                       => 'an enabled email channel needs exactly one of delayHours or replenish',
				'channels.email.replenish.daysPerUnit' => 'Invalid input: expected number, received undefined',
				'expiresAfterHours'                    => 'must be whole hours',
				'name'                                 => 'is required',
				'(root)'                               => 'expected an object',
			)
		);

		$this->assertSame( 'must be greater than 0', $errors['discount_amount'] );
		$this->assertSame( 'must list at least one product id', $errors['trigger_products'] );
		$this->assertSame( 'Too big', $errors['offer_products'] );
		$this->assertSame( 'an enabled email channel needs exactly one of delayHours or replenish', $errors['email_mode'] );
		$this->assertSame( 'Invalid input: expected number, received undefined', $errors['replenish_days'] );
		$this->assertSame( 'must be whole hours', $errors['expires_hours'] );
		$this->assertSame( 'is required', $errors['name'] );
		$this->assertSame( array( '(root): expected an object' ), $errors['_other'] );
	}
	public function test_a_learned_rule_sends_how_many_and_the_minimum_instead_of_products() {
		$post = array(
			'name'             => 'Bought with the printer',
			'enabled'          => '1',
			'kind'             => 'bought_together',
			'trigger_products' => array( '101' ),
			'offer_products'   => array( '202' ),
			'history_top'      => '3',
			'history_support'  => '1,5',
			'discount_type'    => 'percent',
			'discount_amount'  => '10',
			'thank_you'        => '1',
			'expires_hours'    => '72',
		);

		$payload = Encore_Rule_Form::to_payload( Encore_Rule_Form::values_from_post( $post ) );

		$this->assertSame( 'bought_together', $payload['kind'] );
		$this->assertSame(
			array(
				'fromHistory' => array(
					'top'        => 3,
					'minSupport' => 1.5,
				),
				'discount'    => array(
					'type'   => 'percent',
					'amount' => '10',
				),
			),
			$payload['offer']
		);
	}

	public function test_a_learned_rule_with_empty_or_odd_inputs_lets_the_service_name_them() {
		$values = array_merge(
			Encore_Rule_Form::defaults(),
			array(
				'kind'            => 'bought_together',
				'history_top'     => '',
				'history_support' => 'many',
			)
		);

		$this->assertSame( array( 'minSupport' => 'many' ), Encore_Rule_Form::to_payload( $values )['offer']['fromHistory'] );
	}

	public function test_another_kind_never_sends_the_learned_fields() {
		$values = array_merge( Encore_Rule_Form::defaults(), array( 'offer_products' => array( 202 ) ) );

		$offer = Encore_Rule_Form::to_payload( $values )['offer'];

		$this->assertSame( array( 202 ), $offer['productIds'] );
		$this->assertArrayNotHasKey( 'fromHistory', $offer );
	}

	public function test_a_stored_learned_rule_fills_the_form_and_saves_back_unchanged() {
		$rule = array_merge(
			self::readme_rule(),
			array(
				'kind'  => 'bought_together',
				'offer' => array(
					'fromHistory' => array(
						'top'        => 4,
						'minSupport' => 2.5,
					),
					'discount'    => array(
						'type'   => 'percent',
						'amount' => '15',
					),
				),
			)
		);
		$values = Encore_Rule_Form::values_from_rule( $rule );

		$this->assertSame( '4', $values['history_top'] );
		$this->assertSame( '2.5', $values['history_support'] );
		$this->assertSame( array(), $values['offer_products'] );
		$this->assertSame( $rule, Encore_Rule_Form::to_payload( $values ) );
	}

	public function test_learned_field_errors_go_beside_their_inputs() {
		$errors = Encore_Rule_Form::errors_by_field(
			array(
				'offer.fromHistory.top'        => 'at most 10',
				'offer.fromHistory.minSupport' => 'must be greater than 0',
			)
		);
		$this->assertSame( 'at most 10', $errors['history_top'] );
		$this->assertSame( 'must be greater than 0', $errors['history_support'] );

		$missing = Encore_Rule_Form::errors_by_field( array( 'offer.fromHistory' => 'is required for a bought_together rule' ) );
		$this->assertSame( 'is required for a bought_together rule', $missing['history_support'] );
	}

	public function test_the_holdout_is_sent_as_a_number_and_an_empty_one_is_left_to_the_service() {
		$payload = function ( $holdout ) {
			return Encore_Rule_Form::to_payload( array_merge( Encore_Rule_Form::defaults(), array( 'holdout_percent' => $holdout ) ) );
		};

		$this->assertSame( 10, $payload( '10' )['holdoutPercent'] );
		$this->assertSame( 12.5, $payload( '12.5' )['holdoutPercent'] );
		$this->assertSame( 12.5, $payload( '12,5' )['holdoutPercent'] );
		$this->assertSame( 0, $payload( '0' )['holdoutPercent'] );
		$this->assertSame( 'lots', $payload( 'lots' )['holdoutPercent'] );
		$this->assertArrayNotHasKey( 'holdoutPercent', $payload( '' ) );
		$this->assertSame( '0', Encore_Rule_Form::defaults()['holdout_percent'] );
	}

	public function test_a_stored_holdout_fills_the_form_and_saves_back() {
		$rule   = array_merge( self::readme_rule(), array( 'holdoutPercent' => 12.5 ) );
		$values = Encore_Rule_Form::values_from_rule( $rule );

		$this->assertSame( '12.5', $values['holdout_percent'] );
		$this->assertSame( $rule, Encore_Rule_Form::to_payload( $values ) );
		$this->assertSame( '12', Encore_Rule_Form::values_from_post( array( 'holdout_percent' => ' 12 ' ) )['holdout_percent'] );
	}

	public function test_a_holdout_error_goes_beside_the_holdout_input() {
		$errors = Encore_Rule_Form::errors_by_field( array( 'holdoutPercent' => 'must be from 0 to 50' ) );

		$this->assertSame( 'must be from 0 to 50', $errors['holdout_percent'] );
		$this->assertSame( array(), $errors['_other'] );
	}
}
