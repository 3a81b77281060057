<?php
/**
 * The funnel: channels summed per rule, revenue per currency, exact decimals, a small chart.
 */

class StatsTest extends EncoreTestCase {

	private static function answer() {
		return array(
			'from'  => '2026-11-01',
			'to'    => '2026-11-30',
			'rules' => array(
				array(
					'ruleId'   => 'r_printer',
					'name'     => 'Printer → toner',
					'channels' => array(
						'thank_you' => array(
							'issued'       => 40,
							'shown'        => 38,
							'emailed'      => 0,
							'clicked'      => 9,
							'redeemed'     => 3,
							'revoked'      => 1,
							'unsubscribes' => 0,
							'revenue'      => array( 'PLN' => '120.10' ),
						),
						'email'     => array(
							'issued'       => 25,
							'shown'        => 0,
							'emailed'      => 20,
							'clicked'      => 6,
							'redeemed'     => 2,
							'scanned'      => 4,
							'revoked'      => 0,
							'unsubscribes' => 1,
							'revenue'      => array(
								'PLN' => '80.2',
								'EUR' => '15.00',
							),
						),
					),
				),
				array(
					'ruleId'   => 'r_gone',
					'name'     => null,
					'channels' => array(
						'thank_you' => array(
							'issued'  => 1,
							'revenue' => array(),
						),
					),
				),
			),
		);
	}

	public function test_each_rule_sums_its_channels() {
		$rows = Encore_Stats::rows( self::answer() );

		$this->assertSame(
			array(
				'rule_id'  => 'r_printer',
				'name'     => 'Printer → toner',
				'revenue'  => array(
					'EUR' => '15.00',
					'PLN' => '200.30',
				),
				'lift'     => null,
				'issued'   => 65,
				'shown'    => 38,
				'emailed'  => 20,
				'clicked'  => 15,
				'redeemed' => 5,
			),
			$rows[0]
		);
	}

	public function test_a_deleted_rule_is_named_by_its_id_and_missing_counters_are_zero() {
		$rows = Encore_Stats::rows( self::answer() );

		$this->assertSame( 'Deleted rule r_gone', Encore_Stats::row_label( $rows[1] ) );
		$this->assertSame( 0, $rows[1]['clicked'] );
		$this->assertSame( array(), $rows[1]['revenue'] );
	}

	public function test_the_total_row_adds_all_rules() {
		$total = Encore_Stats::totals( Encore_Stats::rows( self::answer() ) );

		$this->assertSame( 66, $total['issued'] );
		$this->assertSame( 5, $total['redeemed'] );
		$this->assertSame(
			array(
				'EUR' => '15.00',
				'PLN' => '200.30',
			),
			$total['revenue']
		);
	}

	public function test_money_adds_up_exactly() {
		$this->assertSame( '0.30', Encore_Stats::add_decimals( '0.10', '0.20' ) );
		$this->assertSame( '12.0055', Encore_Stats::add_decimals( '12.005', '0.0005' ) );
		$this->assertSame( '-1.50', Encore_Stats::add_decimals( '1.00', '-2.50' ) );
		$this->assertSame( '100000000000.00', Encore_Stats::add_decimals( '99999999999.99', '0.01' ) );
	}

	public function test_an_answer_without_rules_gives_no_rows() {
		$this->assertSame( array(), Encore_Stats::rows( null ) );
		$this->assertSame( array(), Encore_Stats::rows( array( 'rules' => 'x' ) ) );
		$this->assertSame( '', Encore_Stats::chart_svg( array() ) );
	}

	public function test_the_chart_has_a_bar_per_step_and_rule_scaled_to_the_largest_count() {
		$svg = Encore_Stats::chart_svg( Encore_Stats::rows( self::answer() ) );

		$this->assertStringStartsWith( '<svg', $svg );
		$this->assertSame( 10, substr_count( $svg, '<rect' ) );
		$this->assertStringContainsString( 'encore-chart__bar--issued" x="90" y="20" width="480"', $svg );
		$this->assertStringContainsString( 'encore-chart__bar--redeemed', $svg );
		$this->assertNotFalse( simplexml_load_string( $svg ), 'well-formed SVG' );
	}

	public function test_rule_names_in_the_chart_are_escaped() {
		$svg = Encore_Stats::chart_svg(
			Encore_Stats::rows(
				array(
					'rules' => array(
						array(
							'ruleId'   => 'r_x',
							'name'     => '<script>alert(1)</script>',
							'channels' => array(),
						),
					),
				)
			)
		);

		$this->assertStringNotContainsString( '<script>', $svg );
		$this->assertStringContainsString( '&lt;script&gt;', $svg );
	}
	/**
	 * A rule's lift object as the service answers it.
	 */
	private static function lift( array $over = array() ) {
		return array_merge(
			array(
				'holdoutPercent'     => 10,
				'treated'            => array( 'orders' => 200, 'conversions' => 30, 'conversionRate' => 0.15, 'revenue' => array( 'PLN' => '3000.00' ) ),
				'control'            => array( 'orders' => 100, 'conversions' => 10, 'conversionRate' => 0.1, 'revenue' => array( 'PLN' => '800.00' ) ),
				'absoluteLift'       => array( 'estimate' => 0.05, 'low' => -0.0268535, 'high' => 0.1268535 ),
				'relativeLift'       => array( 'estimate' => 0.5, 'low' => -0.2356789, 'high' => 1.943789 ),
				'incrementalRevenue' => array( 'PLN' => '1400.00', 'EUR' => '<b>' ),
				'enoughData'         => true,
				'minSamplePerGroup'  => 100,
			),
			$over
		);
	}

	public function test_a_rule_with_a_holdout_carries_its_lift() {
		$rows = Encore_Stats::rows( array( 'rules' => array( array( 'ruleId' => 'r_x', 'name' => 'X', 'channels' => array(), 'lift' => self::lift() ) ) ) );

		$this->assertSame(
			array(
				'holdout'        => 10.0,
				'treated_orders' => 200,
				'control_orders' => 100,
				'treated_rate'   => 0.15,
				'control_rate'   => 0.1,
				'absolute'       => array( 'estimate' => 0.05, 'low' => -0.0268535, 'high' => 0.1268535 ),
				'incremental'    => array( 'PLN' => '1400.00' ),
				'enough'         => true,
				'min_sample'     => 100,
			),
			$rows[0]['lift']
		);
	}

	public function test_no_lift_without_a_holdout() {
		$this->assertNull( Encore_Lift::from_answer( self::lift( array( 'holdoutPercent' => 0 ) ) ) );
		$this->assertNull( Encore_Lift::from_answer( self::lift( array( 'holdoutPercent' => null ) ) ) );
		$this->assertNull( Encore_Lift::from_answer( null ) );
		$this->assertNull( Encore_Lift::from_answer( 'x' ) );
	}

	public function test_rates_and_lifts_read_as_percentages_and_points() {
		$this->assertSame( '15.0%', Encore_Lift::rate_label( 0.15 ) );
		$this->assertSame( '—', Encore_Lift::rate_label( null ) );
		$this->assertSame( '+5.0 pp (-2.7 to +12.7)', Encore_Lift::lift_label( array( 'estimate' => 0.05, 'low' => -0.0268535, 'high' => 0.1268535 ) ) );
		// -0.0004 rounds to 0.0: shown without a minus.
		$this->assertSame( '+0.0 pp (-98.0 to +98.0)', Encore_Lift::lift_label( array( 'estimate' => -0.0004, 'low' => -0.98, 'high' => 0.98 ) ) );
		$this->assertSame( '—', Encore_Lift::lift_label( null ) );
	}
}
