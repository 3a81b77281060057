<?php
/**
 * Rules tab: the form for a new or an existing rule, with the service's field errors.
 *
 * @package Encore
 * @var array $form {rule_id: string, values: array, errors: array, message: string}
 */

defined( 'ABSPATH' ) || exit;

$encore_v      = $form['values'];
$encore_errors = $form['errors'];
$encore_is_new = '' === $form['rule_id'];
// A learned rule shows how many products and the minimum co-purchases instead of the products.
$encore_learned = Encore_Rule_Form::LEARNED_KIND === $encore_v['kind'];

/**
 * The error of one input, printed under it.
 *
 * @param string $field Input name.
 */
$encore_field_error = function ( $field ) use ( $encore_errors ) {
	if ( isset( $encore_errors[ $field ] ) ) {
		echo '<p class="encore-field-error" id="encore-error-' . esc_attr( $field ) . '">' . esc_html( $encore_errors[ $field ] ) . '</p>';
	}
};
/**
 * aria attributes of an input with an error.
 *
 * @param string $field Input name.
 * @return string
 */
$encore_invalid = function ( $field ) use ( $encore_errors ) {
	return isset( $encore_errors[ $field ] ) ? ' aria-invalid="true" aria-describedby="encore-error-' . esc_attr( $field ) . '"' : '';
};
/**
 * A product search select (WooCommerce's enhanced select) with the chosen products.
 *
 * @param string $field Input name.
 * @param int[]  $ids   Chosen ids.
 * @param string $id    Element id.
 */
$encore_product_select = function ( $field, $ids, $id ) use ( $encore_invalid ) {
	printf(
		'<select class="wc-product-search" multiple="multiple" style="width: 100%%; max-width: 40em;" id="%1$s" name="%2$s[]" data-placeholder="%3$s" data-action="woocommerce_json_search_products_and_variations"%4$s>',
		esc_attr( $id ),
		esc_attr( $field ),
		esc_attr__( 'Search for a product…', 'encore' ),
		$encore_invalid( $field ) // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in the closure.
	);
	foreach ( Encore_Admin::product_labels( $ids ) as $product_id => $label ) {
		printf( '<option value="%1$d" selected="selected">%2$s</option>', (int) $product_id, esc_html( $label ) );
	}
	echo '</select>';
};
?>
<h2><?php echo $encore_is_new ? esc_html__( 'New rule', 'encore' ) : esc_html__( 'Edit rule', 'encore' ); ?></h2>
<p><a href="<?php echo esc_url( Encore_Plugin::admin_url( 'rules' ) ); ?>">&larr; <?php esc_html_e( 'All rules', 'encore' ); ?></a></p>

<?php if ( '' !== $form['message'] ) : ?>
	<div class="notice notice-error inline">
		<p><?php echo esc_html( $form['message'] ); ?></p>
		<?php if ( ! empty( $encore_errors['_other'] ) ) : ?>
			<ul class="encore-plain-list">
				<?php foreach ( $encore_errors['_other'] as $encore_line ) : ?>
					<li><?php echo esc_html( $encore_line ); ?></li>
				<?php endforeach; ?>
			</ul>
		<?php endif; ?>
	</div>
<?php endif; ?>

<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'rules' ) ); ?>" class="encore-rule-form">
	<?php wp_nonce_field( Encore_Admin::nonce_action( 'save_rule', $form['rule_id'] ) ); ?>
	<input type="hidden" name="encore_action" value="save_rule">
	<?php if ( ! $encore_is_new ) : ?>
		<input type="hidden" name="rule_id" value="<?php echo esc_attr( $form['rule_id'] ); ?>">
	<?php endif; ?>

	<table class="form-table" role="presentation">
		<tr>
			<th scope="row"><label for="encore-name"><?php esc_html_e( 'Name', 'encore' ); ?></label></th>
			<td>
				<input type="text" class="regular-text" id="encore-name" name="name" maxlength="120" value="<?php echo esc_attr( $encore_v['name'] ); ?>"<?php echo $encore_invalid( 'name' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<?php $encore_field_error( 'name' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><?php esc_html_e( 'Enabled', 'encore' ); ?></th>
			<td>
				<label><input type="checkbox" name="enabled" value="1" <?php checked( $encore_v['enabled'] ); ?>> <?php esc_html_e( 'Make offers with this rule', 'encore' ); ?></label>
				<?php $encore_field_error( 'enabled' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-kind"><?php esc_html_e( 'Kind', 'encore' ); ?></label></th>
			<td>
				<select id="encore-kind" name="kind"<?php echo $encore_invalid( 'kind' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
					<option value="complement" <?php selected( $encore_v['kind'], 'complement' ); ?>><?php esc_html_e( 'Complement — needed to use what was bought (toner, blades)', 'encore' ); ?></option>
					<option value="upsell" <?php selected( $encore_v['kind'], 'upsell' ); ?>><?php esc_html_e( 'Upsell — the better model', 'encore' ); ?></option>
					<option value="cross_sell" <?php selected( $encore_v['kind'], 'cross_sell' ); ?>><?php esc_html_e( 'Cross-sell — related products', 'encore' ); ?></option>
					<option value="bought_together" <?php selected( $encore_v['kind'], 'bought_together' ); ?>><?php esc_html_e( 'Bought together (learned)', 'encore' ); ?></option>
				</select>
				<?php $encore_field_error( 'kind' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-trigger-products"><?php esc_html_e( 'When the order holds', 'encore' ); ?></label></th>
			<td>
				<?php $encore_product_select( 'trigger_products', $encore_v['trigger_products'], 'encore-trigger-products' ); ?>
				<p class="description"><?php esc_html_e( 'Any of these products or variations, in a paid order.', 'encore' ); ?></p>
				<?php $encore_field_error( 'trigger_products' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-min-total"><?php esc_html_e( 'Minimum order total', 'encore' ); ?></label></th>
			<td>
				<input type="text" inputmode="decimal" class="short wc_input_price" id="encore-min-total" name="min_order_total" value="<?php echo esc_attr( $encore_v['min_order_total'] ); ?>" placeholder="0"<?php echo $encore_invalid( 'min_order_total' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<?php $encore_field_error( 'min_order_total' ); ?>
			</td>
		</tr>
		<tr class="encore-offer-named"<?php echo $encore_learned ? ' hidden' : ''; ?>>
			<th scope="row"><label for="encore-offer-products"><?php esc_html_e( 'Offer these products', 'encore' ); ?></label></th>
			<td>
				<?php $encore_product_select( 'offer_products', $encore_v['offer_products'], 'encore-offer-products' ); ?>
				<p class="description"><?php esc_html_e( 'A product the buyer already has in the order is never offered to them.', 'encore' ); ?></p>
				<?php $encore_field_error( 'offer_products' ); ?>
			</td>
		</tr>
		<tr class="encore-offer-learned"<?php echo $encore_learned ? '' : ' hidden'; ?>>
			<th scope="row"><label for="encore-history-top"><?php esc_html_e( 'How many products', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-history-top" name="history_top" min="1" max="10" step="1" value="<?php echo esc_attr( $encore_v['history_top'] ); ?>"<?php echo $encore_invalid( 'history_top' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<p class="description"><?php esc_html_e( 'Offer up to this many of the products most often bought with the trigger products (1–10). Products the buyer already has are left out.', 'encore' ); ?></p>
				<?php $encore_field_error( 'history_top' ); ?>
			</td>
		</tr>
		<tr class="encore-offer-learned"<?php echo $encore_learned ? '' : ' hidden'; ?>>
			<th scope="row"><label for="encore-history-support"><?php esc_html_e( 'Minimum co-purchases', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-history-support" name="history_support" min="0" step="any" value="<?php echo esc_attr( $encore_v['history_support'] ); ?>"<?php echo $encore_invalid( 'history_support' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<p class="description"><?php esc_html_e( 'How many paid orders must have held a product together with a trigger product before it is offered. Older orders count less: one a half-life old counts one half.', 'encore' ); ?></p>
				<?php $encore_field_error( 'history_support' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-discount-type"><?php esc_html_e( 'Discount', 'encore' ); ?></label></th>
			<td>
				<select id="encore-discount-type" name="discount_type"<?php echo $encore_invalid( 'discount_type' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
					<option value="percent" <?php selected( $encore_v['discount_type'], 'percent' ); ?>><?php esc_html_e( 'Percentage', 'encore' ); ?></option>
					<option value="fixed_cart" <?php selected( $encore_v['discount_type'], 'fixed_cart' ); ?>><?php esc_html_e( 'Fixed amount off the cart', 'encore' ); ?></option>
					<option value="fixed_product" <?php selected( $encore_v['discount_type'], 'fixed_product' ); ?>><?php esc_html_e( 'Fixed amount off each offered product', 'encore' ); ?></option>
				</select>
				<label class="screen-reader-text" for="encore-discount-amount"><?php esc_html_e( 'Amount', 'encore' ); ?></label>
				<input type="text" inputmode="decimal" class="small-text" id="encore-discount-amount" name="discount_amount" value="<?php echo esc_attr( $encore_v['discount_amount'] ); ?>" placeholder="15"<?php echo $encore_invalid( 'discount_amount' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<?php $encore_field_error( 'discount_type' ); ?>
				<?php $encore_field_error( 'discount_amount' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><?php esc_html_e( 'Thank-you page', 'encore' ); ?></th>
			<td>
				<label><input type="checkbox" name="thank_you" value="1" <?php checked( $encore_v['thank_you'] ); ?>> <?php esc_html_e( 'Show the offer on the order-received page', 'encore' ); ?></label>
				<?php $encore_field_error( 'thank_you' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><?php esc_html_e( 'Email', 'encore' ); ?></th>
			<td>
				<fieldset class="encore-email-channel">
					<legend class="screen-reader-text"><?php esc_html_e( 'Email', 'encore' ); ?></legend>
					<p><label><input type="radio" name="email_mode" value="off" <?php checked( $encore_v['email_mode'], 'off' ); ?>> <?php esc_html_e( 'No email', 'encore' ); ?></label></p>
					<p>
						<label><input type="radio" name="email_mode" value="delay" <?php checked( $encore_v['email_mode'], 'delay' ); ?>> <?php esc_html_e( 'Send after', 'encore' ); ?></label>
						<label class="screen-reader-text" for="encore-delay-hours"><?php esc_html_e( 'Hours after payment', 'encore' ); ?></label>
						<input type="number" class="small-text" id="encore-delay-hours" name="delay_hours" min="0" step="1" value="<?php echo esc_attr( $encore_v['delay_hours'] ); ?>"<?php echo $encore_invalid( 'delay_hours' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
						<?php esc_html_e( 'hours', 'encore' ); ?>
					</p>
					<?php $encore_field_error( 'delay_hours' ); ?>
					<p>
						<label><input type="radio" name="email_mode" value="replenish" <?php checked( $encore_v['email_mode'], 'replenish' ); ?>> <?php esc_html_e( 'Send when it is about to run out:', 'encore' ); ?></label>
						<label for="encore-replenish-days"><?php esc_html_e( 'each unit lasts', 'encore' ); ?></label>
						<input type="number" class="small-text" id="encore-replenish-days" name="replenish_days" min="0" step="any" value="<?php echo esc_attr( $encore_v['replenish_days'] ); ?>"<?php echo $encore_invalid( 'replenish_days' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
						<?php esc_html_e( 'days,', 'encore' ); ?>
						<label for="encore-lead-days"><?php esc_html_e( 'send', 'encore' ); ?></label>
						<input type="number" class="small-text" id="encore-lead-days" name="lead_days" min="0" step="any" value="<?php echo esc_attr( $encore_v['lead_days'] ); ?>"<?php echo $encore_invalid( 'lead_days' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
						<?php esc_html_e( 'days early', 'encore' ); ?>
					</p>
					<?php $encore_field_error( 'replenish_days' ); ?>
					<?php $encore_field_error( 'lead_days' ); ?>
					<?php $encore_field_error( 'email_mode' ); ?>
					<p class="description"><?php esc_html_e( 'Run-out time = payment time + quantity bought × days per unit − days early.', 'encore' ); ?></p>
				</fieldset>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-expires"><?php esc_html_e( 'Offer expires after', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-expires" name="expires_hours" min="1" step="1" value="<?php echo esc_attr( $encore_v['expires_hours'] ); ?>"<?php echo $encore_invalid( 'expires_hours' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<?php esc_html_e( 'hours', 'encore' ); ?>
				<?php $encore_field_error( 'expires_hours' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-priority"><?php esc_html_e( 'Priority', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-priority" name="priority" min="-1000" max="1000" step="1" value="<?php echo esc_attr( $encore_v['priority'] ); ?>"<?php echo $encore_invalid( 'priority' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<p class="description"><?php esc_html_e( 'When rules compete for the same product, the higher priority keeps it.', 'encore' ); ?></p>
				<?php $encore_field_error( 'priority' ); ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-holdout"><?php esc_html_e( 'Holdout %', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-holdout" name="holdout_percent" min="0" max="50" step="0.1" value="<?php echo esc_attr( $encore_v['holdout_percent'] ); ?>"<?php echo $encore_invalid( 'holdout_percent' ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>>
				<p class="description"><?php esc_html_e( 'Share of matching orders (0–50) that get no offer from this rule, to measure the sales it really adds. 0 turns the measurement off.', 'encore' ); ?></p>
				<?php $encore_field_error( 'holdout_percent' ); ?>
			</td>
		</tr>
	</table>
	<?php submit_button( $encore_is_new ? __( 'Create rule', 'encore' ) : __( 'Save rule', 'encore' ) ); ?>
</form>
