<?php
/**
 * Connection settings: what the form accepts and what the plugin reads back.
 */

class SettingsTest extends EncoreTestCase {

	public function test_service_urls_on_loopback_and_private_hosts_are_accepted() {
		$this->assertSame( 'http://127.0.0.1:8080', Encore_Settings::sanitize_service_url( ' http://127.0.0.1:8080/ ' ) );
		$this->assertSame( 'https://encore.internal', Encore_Settings::sanitize_service_url( 'https://encore.internal' ) );
		$this->assertSame( 'http://10.0.0.5:3000/encore', Encore_Settings::sanitize_service_url( 'http://10.0.0.5:3000/encore/' ) );
	}

	public function test_other_schemes_credentials_and_queries_are_refused() {
		foreach ( array( 'ftp://encore.test', 'javascript:alert(1)', 'http://user:pass@encore.test', 'https://encore.test/?a=1', 'encore.test', '', array( 'x' ) ) as $bad ) {
			$this->assertSame( '', Encore_Settings::sanitize_service_url( $bad ), var_export( $bad, true ) );
		}
	}

	public function test_the_budget_defaults_to_one_and_a_half_seconds_and_stays_within_bounds() {
		$this->assertSame( 1.5, ( new Encore_Settings() )->budget() );
		$this->assertSame( 1.5, Encore_Settings::sanitize_budget( 'soon' ) );
		$this->assertSame( 2.5, Encore_Settings::sanitize_budget( '2,5' ) );
		$this->assertSame( Encore_Settings::MIN_BUDGET, Encore_Settings::sanitize_budget( '0' ) );
		$this->assertSame( Encore_Settings::MAX_BUDGET, Encore_Settings::sanitize_budget( 60 ) );
	}

	public function test_saving_without_a_secret_keeps_the_stored_one() {
		$settings = new Encore_Settings();
		$settings->save( 'http://127.0.0.1:8080', 'first', 2.0 );
		$settings->save( 'http://127.0.0.1:9090', null, 1.0 );

		$this->assertSame( 'first', $settings->secret() );
		$this->assertSame( 'http://127.0.0.1:9090', $settings->service_url() );
		$this->assertSame( 1.0, $settings->budget() );
		$this->assertTrue( $settings->is_configured() );
	}
}
