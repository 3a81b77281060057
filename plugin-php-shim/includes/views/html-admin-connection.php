<?php
/**
 * Connection tab: service URL, shared secret, budget; connection test; webhook setup.
 *
 * @package Encore
 * @var Encore_Settings                                              $settings
 * @var array{healthz: Encore_Response, health: Encore_Response|null}|null $test
 * @var Encore_Response|null                                         $setup
 * @var string                                                       $error
 */

defined( 'ABSPATH' ) || exit;

$encore_yes_no = function ( $ok ) {
	return $ok
		? '<span class="encore-status encore-status--ok">' . esc_html__( 'Yes', 'encore' ) . '</span>'
		: '<span class="encore-status encore-status--bad">' . esc_html__( 'No', 'encore' ) . '</span>';
};
?>
<h2><?php esc_html_e( 'Connection', 'encore' ); ?></h2>
<?php if ( '' !== $error ) : ?>
	<div class="notice notice-error inline"><p><?php echo esc_html( $error ); ?></p></div>
<?php endif; ?>
<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'connection' ) ); ?>">
	<?php wp_nonce_field( Encore_Admin::nonce_action( 'save_settings' ) ); ?>
	<input type="hidden" name="encore_action" value="save_settings">
	<table class="form-table" role="presentation">
		<tr>
			<th scope="row"><label for="encore-service-url"><?php esc_html_e( 'Service URL', 'encore' ); ?></label></th>
			<td>
				<input type="url" class="regular-text code" id="encore-service-url" name="service_url" value="<?php echo esc_attr( $settings->service_url() ); ?>" placeholder="http://127.0.0.1:8080">
				<p class="description"><?php esc_html_e( 'Where your Encore service answers, e.g. http://127.0.0.1:8080 when it runs next to WordPress. Loopback and private addresses are allowed.', 'encore' ); ?></p>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-shim-secret"><?php esc_html_e( 'Shared secret', 'encore' ); ?></label></th>
			<td>
				<?php if ( $settings->secret_is_constant() ) : ?>
					<p><?php esc_html_e( 'Set by the ENCORE_SHIM_SECRET constant in wp-config.php.', 'encore' ); ?></p>
				<?php else : ?>
					<input type="password" class="regular-text code" id="encore-shim-secret" name="shim_secret" value="" autocomplete="new-password" placeholder="<?php echo '' !== $settings->secret() ? esc_attr__( 'Saved — leave empty to keep it', 'encore' ) : ''; ?>">
					<p class="description"><?php esc_html_e( 'The same value as ENCORE_SHIM_SECRET on the service. Every request to the service is signed with it; it is never shown again once saved.', 'encore' ); ?></p>
				<?php endif; ?>
			</td>
		</tr>
		<tr>
			<th scope="row"><label for="encore-budget"><?php esc_html_e( 'Thank-you page budget', 'encore' ); ?></label></th>
			<td>
				<input type="number" class="small-text" id="encore-budget" name="thankyou_budget" value="<?php echo esc_attr( (string) $settings->budget() ); ?>" min="<?php echo esc_attr( (string) Encore_Settings::MIN_BUDGET ); ?>" max="<?php echo esc_attr( (string) Encore_Settings::MAX_BUDGET ); ?>" step="0.1"> <?php esc_html_e( 'seconds', 'encore' ); ?>
				<p class="description"><?php esc_html_e( 'How long the order-received page waits for offers. When the service takes longer the page shows without them.', 'encore' ); ?></p>
			</td>
		</tr>
	</table>
	<?php submit_button( __( 'Save settings', 'encore' ) ); ?>
</form>

<?php if ( $settings->is_configured() ) : ?>
	<h2><?php esc_html_e( 'Health', 'encore' ); ?></h2>
	<div class="encore-actions">
		<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'connection' ) ); ?>">
			<?php wp_nonce_field( Encore_Admin::nonce_action( 'test_connection' ) ); ?>
			<input type="hidden" name="encore_action" value="test_connection">
			<?php submit_button( __( 'Test connection', 'encore' ), 'secondary', 'submit', false ); ?>
		</form>
		<form method="post" action="<?php echo esc_url( Encore_Plugin::admin_url( 'connection' ) ); ?>">
			<?php wp_nonce_field( Encore_Admin::nonce_action( 'setup_webhooks' ) ); ?>
			<input type="hidden" name="encore_action" value="setup_webhooks">
			<?php submit_button( __( 'Set up webhooks', 'encore' ), 'secondary', 'submit', false ); ?>
		</form>
	</div>
	<p class="description"><?php esc_html_e( '"Set up webhooks" asks the service to create (or re-activate) the order.created, order.updated and order.deleted webhooks in this store with its REST keys. Safe to repeat.', 'encore' ); ?></p>

	<?php if ( null !== $test ) : ?>
		<?php
		$encore_healthz = $test['healthz'];
		$encore_health  = $test['health'];
		$encore_body    = null !== $encore_health && 200 === $encore_health->status && is_array( $encore_health->body ) ? $encore_health->body : null;
		?>
		<table class="widefat striped encore-health">
			<tbody>
				<tr>
					<th scope="row"><?php esc_html_e( 'Service reachable (GET /healthz)', 'encore' ); ?></th>
					<td>
						<?php echo $encore_yes_no( 200 === $encore_healthz->status ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built from escaped parts. ?>
						<?php if ( 200 !== $encore_healthz->status ) : ?>
							<span class="description"><?php echo esc_html( $encore_healthz->error_message() ); ?></span>
						<?php endif; ?>
					</td>
				</tr>
				<?php if ( null !== $encore_health ) : ?>
					<tr>
						<th scope="row"><?php esc_html_e( 'Signature accepted', 'encore' ); ?></th>
						<td>
							<?php echo $encore_yes_no( null !== $encore_body ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>
							<?php if ( 401 === $encore_health->status ) : ?>
								<span class="description"><?php esc_html_e( 'The service refused the signature: the shared secret differs from ENCORE_SHIM_SECRET, or this server\'s clock is more than 5 minutes off.', 'encore' ); ?></span>
							<?php elseif ( null === $encore_body ) : ?>
								<span class="description"><?php echo esc_html( $encore_health->error_message() ); ?></span>
							<?php endif; ?>
						</td>
					</tr>
				<?php endif; ?>
				<?php if ( null !== $encore_body ) : ?>
					<tr>
						<th scope="row"><?php esc_html_e( 'Redis', 'encore' ); ?></th>
						<td><?php echo $encore_yes_no( isset( $encore_body['redis'] ) && 'ok' === $encore_body['redis'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?></td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Queues', 'encore' ); ?></th>
						<td>
							<?php if ( isset( $encore_body['queues'] ) && is_array( $encore_body['queues'] ) ) : ?>
								<ul class="encore-plain-list">
									<?php foreach ( $encore_body['queues'] as $encore_queue => $encore_counts ) : ?>
										<?php
										$encore_parts = array();
										foreach ( is_array( $encore_counts ) ? $encore_counts : array() as $encore_key => $encore_count ) {
											if ( is_scalar( $encore_count ) ) {
												$encore_parts[] = $encore_key . ' ' . $encore_count;
											}
										}
										$encore_failed = is_array( $encore_counts ) && ! empty( $encore_counts['failed'] );
										?>
										<li><code><?php echo esc_html( (string) $encore_queue ); ?></code> <span class="<?php echo $encore_failed ? 'encore-status--bad' : ''; ?>"><?php echo esc_html( implode( ', ', $encore_parts ) ); ?></span></li>
									<?php endforeach; ?>
								</ul>
							<?php else : ?>
								<?php echo $encore_yes_no( false ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>
							<?php endif; ?>
						</td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'WooCommerce reachable from the service', 'encore' ); ?></th>
						<td>
							<?php $encore_woo = isset( $encore_body['woocommerce'] ) && is_array( $encore_body['woocommerce'] ) ? $encore_body['woocommerce'] : array(); ?>
							<?php echo $encore_yes_no( ! empty( $encore_woo['reachable'] ) && isset( $encore_woo['status'] ) && 200 === $encore_woo['status'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped ?>
							<?php if ( isset( $encore_woo['status'] ) && 200 !== $encore_woo['status'] && is_scalar( $encore_woo['status'] ) ) : ?>
								<span class="description">
									<?php
									/* translators: %s: HTTP status or "timeout", "unreachable"… */
									echo esc_html( sprintf( __( 'REST answer: %s (check ENCORE_STORE_URL and the REST keys)', 'encore' ), (string) $encore_woo['status'] ) );
									?>
								</span>
							<?php endif; ?>
						</td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Webhooks', 'encore' ); ?></th>
						<td>
							<?php if ( isset( $encore_body['webhooks'] ) && is_array( $encore_body['webhooks'] ) ) : ?>
								<?php if ( empty( $encore_body['webhooks'] ) ) : ?>
									<p><?php esc_html_e( 'None yet: use "Set up webhooks".', 'encore' ); ?></p>
								<?php else : ?>
									<table class="widefat striped">
										<thead><tr><th><?php esc_html_e( 'Topic', 'encore' ); ?></th><th><?php esc_html_e( 'ID', 'encore' ); ?></th><th><?php esc_html_e( 'Status', 'encore' ); ?></th><th><?php esc_html_e( 'Delivery URL', 'encore' ); ?></th></tr></thead>
										<tbody>
										<?php foreach ( $encore_body['webhooks'] as $encore_hook ) : ?>
											<?php
											if ( ! is_array( $encore_hook ) ) {
												continue;
											}
											$encore_hook_status = isset( $encore_hook['status'] ) ? (string) $encore_hook['status'] : '';
											?>
											<tr>
												<td><code><?php echo esc_html( isset( $encore_hook['topic'] ) ? (string) $encore_hook['topic'] : '' ); ?></code></td>
												<td><?php echo esc_html( isset( $encore_hook['id'] ) ? (string) $encore_hook['id'] : '' ); ?></td>
												<td class="<?php echo 'active' === $encore_hook_status ? 'encore-status--ok' : 'encore-status--bad'; ?>"><?php echo esc_html( $encore_hook_status ); ?></td>
												<td><code><?php echo esc_html( isset( $encore_hook['deliveryUrl'] ) ? (string) $encore_hook['deliveryUrl'] : '' ); ?></code></td>
											</tr>
										<?php endforeach; ?>
										</tbody>
									</table>
								<?php endif; ?>
								<?php if ( ! empty( $encore_body['missingTopics'] ) && is_array( $encore_body['missingTopics'] ) ) : ?>
									<p class="encore-status--bad">
										<?php
										/* translators: %s: webhook topics such as order.created. */
										echo esc_html( sprintf( __( 'Missing: %s. Use "Set up webhooks".', 'encore' ), implode( ', ', array_map( 'strval', array_filter( $encore_body['missingTopics'], 'is_scalar' ) ) ) ) );
										?>
									</p>
								<?php endif; ?>
							<?php else : ?>
								<p><?php esc_html_e( 'Unknown: the service could not list this store\'s webhooks.', 'encore' ); ?></p>
							<?php endif; ?>
						</td>
					</tr>
				<?php endif; ?>
			</tbody>
		</table>
	<?php endif; ?>

	<?php if ( null !== $setup ) : ?>
		<h3><?php esc_html_e( 'Webhook setup', 'encore' ); ?></h3>
		<?php if ( $setup->ok() && isset( $setup->body['webhooks'] ) && is_array( $setup->body['webhooks'] ) ) : ?>
			<?php
			$encore_actions = array(
				'created'     => __( 'created', 'encore' ),
				'reactivated' => __( 're-activated', 'encore' ),
				'unchanged'   => __( 'already there', 'encore' ),
			);
			?>
			<table class="widefat striped">
				<thead><tr><th><?php esc_html_e( 'Topic', 'encore' ); ?></th><th><?php esc_html_e( 'ID', 'encore' ); ?></th><th><?php esc_html_e( 'Status', 'encore' ); ?></th><th><?php esc_html_e( 'Done', 'encore' ); ?></th></tr></thead>
				<tbody>
				<?php foreach ( $setup->body['webhooks'] as $encore_entry ) : ?>
					<?php
					if ( ! is_array( $encore_entry ) ) {
						continue;
					}
					$encore_action = isset( $encore_entry['action'] ) ? (string) $encore_entry['action'] : '';
					?>
					<tr>
						<td><code><?php echo esc_html( isset( $encore_entry['topic'] ) ? (string) $encore_entry['topic'] : '' ); ?></code></td>
						<td><?php echo esc_html( isset( $encore_entry['id'] ) ? (string) $encore_entry['id'] : '' ); ?></td>
						<td><?php echo esc_html( isset( $encore_entry['status'] ) ? (string) $encore_entry['status'] : '' ); ?></td>
						<td>
							<?php echo esc_html( isset( $encore_actions[ $encore_action ] ) ? $encore_actions[ $encore_action ] : $encore_action ); ?>
							<?php if ( ! empty( $encore_entry['duplicate'] ) ) : ?>
								<span class="description"><?php esc_html_e( '(duplicate; you may delete it in WooCommerce › Settings › Advanced › Webhooks)', 'encore' ); ?></span>
							<?php endif; ?>
						</td>
					</tr>
				<?php endforeach; ?>
				</tbody>
			</table>
			<?php if ( ! empty( $setup->body['warnings'] ) && is_array( $setup->body['warnings'] ) ) : ?>
				<?php foreach ( $setup->body['warnings'] as $encore_warning ) : ?>
					<?php if ( is_string( $encore_warning ) ) : ?>
						<div class="notice notice-warning inline"><p><?php echo esc_html( $encore_warning ); ?></p></div>
					<?php endif; ?>
				<?php endforeach; ?>
			<?php endif; ?>
		<?php else : ?>
			<?php Encore_Admin::print_error( $setup->error_message() ); ?>
		<?php endif; ?>
	<?php endif; ?>
<?php endif; ?>
