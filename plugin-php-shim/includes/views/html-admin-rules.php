<?php
/**
 * Rules tab: the list.
 *
 * @package Encore
 * @var array[] $rules Rules as the service returns them.
 */

defined( 'ABSPATH' ) || exit;

$encore_kinds     = array(
	'complement'      => __( 'Complement', 'encore' ),
	'upsell'          => __( 'Upsell', 'encore' ),
	'cross_sell'      => __( 'Cross-sell', 'encore' ),
	'bought_together' => __( 'Bought together (learned)', 'encore' ),
);
$encore_discounts = array(
	/* translators: %s: amount. */
	'percent'       => __( '%s%% off', 'encore' ),
	/* translators: %s: amount. */
	'fixed_cart'    => __( '%s off the cart', 'encore' ),
	/* translators: %s: amount. */
	'fixed_product' => __( '%s off each product', 'encore' ),
);
$encore_products  = function ( $ids ) {
	$ids = is_array( $ids ) ? array_filter( array_map( 'absint', $ids ) ) : array();
	return implode( ', ', Encore_Admin::product_labels( $ids ) );
};
?>
<h2 class="encore-heading-with-action">
	<?php esc_html_e( 'Rules', 'encore' ); ?>
	<a class="page-title-action" href="<?php echo esc_url( Encore_Plugin::admin_url( 'rules', array( 'view' => 'new' ) ) ); ?>"><?php esc_html_e( 'Add rule', 'encore' ); ?></a>
</h2>
<?php if ( empty( $rules ) ) : ?>
	<p><?php esc_html_e( 'No rules yet. A rule says: when a paid order holds one of these products, offer those products at this discount, on the thank-you page and/or by email, for this long.', 'encore' ); ?></p>
<?php else : ?>
	<table class="widefat striped encore-rules">
		<thead>
			<tr>
				<th scope="col"><?php esc_html_e( 'Name', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Status', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Kind', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'When the order holds', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Offer', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Discount', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Channels', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Expires after', 'encore' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Priority', 'encore' ); ?></th>
				<th scope="col"><span class="screen-reader-text"><?php esc_html_e( 'Actions', 'encore' ); ?></span></th>
			</tr>
		</thead>
		<tbody>
		<?php foreach ( $rules as $encore_rule ) : ?>
			<?php
			if ( ! is_array( $encore_rule ) || ! isset( $encore_rule['id'] ) || ! is_string( $encore_rule['id'] ) || ! preg_match( Encore_Admin::RULE_ID, $encore_rule['id'] ) ) {
				continue;
			}
			$encore_values   = Encore_Rule_Form::values_from_rule( $encore_rule );
			$encore_id       = $encore_rule['id'];
			$encore_channels = array();
			if ( $encore_values['thank_you'] ) {
				$encore_channels[] = __( 'Thank-you page', 'encore' );
			}
			if ( 'delay' === $encore_values['email_mode'] ) {
				/* translators: %s: hours. */
				$encore_channels[] = sprintf( __( 'Email after %s h', 'encore' ), $encore_values['delay_hours'] );
			} elseif ( 'replenish' === $encore_values['email_mode'] ) {
				/* translators: 1: days per unit, 2: lead days. */
				$encore_channels[] = sprintf( __( 'Email when used up (%1$s days per unit, %2$s days early)', 'encore' ), $encore_values['replenish_days'], '' === $encore_values['lead_days'] ? '0' : $encore_values['lead_days'] );
			}
			$encore_discount_label = isset( $encore_discounts[ $encore_values['discount_type'] ] ) ? sprintf( $encore_discounts[ $encore_values['discount_type'] ], $encore_values['discount_amount'] ) : $encore_values['discount_amount'];
			?>
			<tr>
				<td><strong><a href="<?php echo esc_url( Encore_Plugin::admin_url( 'rules', array( 'view' => 'edit', 'rule' => $encore_id ) ) ); ?>"><?php echo esc_html( $encore_values['name'] ); ?></a></strong></td>
				<td><?php echo $encore_values['enabled'] ? '<span class="encore-status--ok">' . esc_html__( 'Enabled', 'encore' ) . '</span>' : '<span class="encore-status--off">' . esc_html__( 'Disabled', 'encore' ) . '</span>'; ?></td>
				<td><?php echo esc_html( isset( $encore_kinds[ $encore_values['kind'] ] ) ? $encore_kinds[ $encore_values['kind'] ] : $encore_values['kind'] ); ?></td>
				<td>
					<?php echo esc_html( $encore_products( $encore_values['trigger_products'] ) ); ?>
					<?php if ( '' !== $encore_values['min_order_total'] && 0.0 !== (float) $encore_values['min_order_total'] ) : ?>
						<br><span class="description">
						<?php
						/* translators: %s: amount. */
						echo esc_html( sprintf( __( 'order total at least %s', 'encore' ), $encore_values['min_order_total'] ) );
						?>
						</span>
					<?php endif; ?>
				</td>
				<?php if ( Encore_Rule_Form::LEARNED_KIND === $encore_values['kind'] ) : ?>
					<td>
						<?php
						/* translators: 1: how many products, 2: minimum co-purchases. */
						echo esc_html( sprintf( __( 'Up to %1$s most bought together (at least %2$s co-purchases)', 'encore' ), $encore_values['history_top'], $encore_values['history_support'] ) );
						?>
					</td>
				<?php else : ?>
					<td><?php echo esc_html( $encore_products( $encore_values['offer_products'] ) ); ?></td>
				<?php endif; ?>
				<td><?php echo esc_html( $encore_discount_label ); ?></td>
				<td><?php echo esc_html( implode( '; ', $encore_channels ) ); ?></td>
				<td>
					<?php
					/* translators: %s: hours. */
					echo esc_html( sprintf( __( '%s h', 'encore' ), $encore_values['expires_hours'] ) );
					?>
				</td>
				<td><?php echo esc_html( $encore_values['priority'] ); ?></td>
				<td class="encore-row-actions">
					<a class="button button-small" href="<?php echo esc_url( Encore_Plugin::admin_url( 'rules', array( 'view' => 'edit', 'rule' => $encore_id ) ) ); ?>"><?php esc_html_e( 'Edit', 'encore' ); ?></a>
					<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'rules' ) ); ?>">
						<?php wp_nonce_field( Encore_Admin::nonce_action( 'toggle_rule', $encore_id ) ); ?>
						<input type="hidden" name="encore_action" value="toggle_rule">
						<input type="hidden" name="rule_id" value="<?php echo esc_attr( $encore_id ); ?>">
						<?php if ( $encore_values['enabled'] ) : ?>
							<button type="submit" class="button button-small"><?php esc_html_e( 'Disable', 'encore' ); ?></button>
						<?php else : ?>
							<input type="hidden" name="enabled" value="1">
							<button type="submit" class="button button-small"><?php esc_html_e( 'Enable', 'encore' ); ?></button>
						<?php endif; ?>
					</form>
					<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'rules' ) ); ?>" data-encore-confirm="<?php echo esc_attr( sprintf( /* translators: %s: rule name. */ __( 'Delete the rule "%s"? This cannot be undone.', 'encore' ), $encore_values['name'] ) ); ?>">
						<?php wp_nonce_field( Encore_Admin::nonce_action( 'delete_rule', $encore_id ) ); ?>
						<input type="hidden" name="encore_action" value="delete_rule">
						<input type="hidden" name="rule_id" value="<?php echo esc_attr( $encore_id ); ?>">
						<button type="submit" class="button button-small button-link-delete"><?php esc_html_e( 'Delete', 'encore' ); ?></button>
					</form>
				</td>
			</tr>
		<?php endforeach; ?>
		</tbody>
	</table>
<?php endif; ?>
