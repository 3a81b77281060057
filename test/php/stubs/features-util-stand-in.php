<?php
/**
 * TEST STAND-IN — not WooCommerce: records HPOS and other feature compatibility declarations.
 */

namespace Automattic\WooCommerce\Utilities;

class FeaturesUtil {
	/** @var array[] [feature, plugin file, positive] */
	public static $declared = array();

	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		self::$declared[] = array( $feature_id, $plugin_file, $positive_compatibility );
		return true;
	}
}
