/* WooCommerce › Encore: confirm before deleting a rule; enable only the email timing inputs that apply. */
( function () {
	'use strict';

	document.addEventListener( 'submit', function ( event ) {
		var message = event.target.getAttribute && event.target.getAttribute( 'data-encore-confirm' );
		if ( message && ! window.confirm( message ) ) {
			event.preventDefault();
		}
	} );

	function syncEmailInputs( fieldset ) {
		var checked = fieldset.querySelector( 'input[name="email_mode"]:checked' );
		var mode = checked ? checked.value : 'off';
		var groups = { delay_hours: 'delay', replenish_days: 'replenish', lead_days: 'replenish' };
		Object.keys( groups ).forEach( function ( name ) {
			var input = fieldset.querySelector( 'input[name="' + name + '"]' );
			if ( input ) {
				input.readOnly = groups[ name ] !== mode;
			}
		} );
	}

	document.querySelectorAll( '.encore-email-channel' ).forEach( function ( fieldset ) {
		syncEmailInputs( fieldset );
		fieldset.addEventListener( 'change', function () {
			syncEmailInputs( fieldset );
		} );
	} );
} )();
