/*
 * TEST STAND-IN for WooCommerce's wc-enhanced-select (selectWoo). Instead of a dropdown it puts
 * a search box above each `select.wc-product-search`; what the box finds through the same AJAX
 * action WooCommerce uses is added to the plain multi-select as options to choose.
 */
( function () {
	'use strict';

	var params = window.wc_enhanced_select_params || {};

	function search( select, input ) {
		var term = input.value.trim();
		// WooCommerce's product search starts at three characters (data-minimum_input_length).
		if ( term.length < 3 ) {
			return;
		}
		var url = params.ajax_url + '?' + new URLSearchParams( {
			action: select.getAttribute( 'data-action' ) || 'woocommerce_json_search_products_and_variations',
			security: params.search_products_nonce,
			term: term
		} ).toString();
		fetch( url, { credentials: 'same-origin' } )
			.then( function ( response ) { return response.json(); } )
			.then( function ( found ) {
				Object.keys( found || {} ).forEach( function ( id ) {
					if ( ! select.querySelector( 'option[value="' + id + '"]' ) ) {
						select.appendChild( new Option( found[ id ], id, false, false ) );
					}
				} );
				select.setAttribute( 'data-stand-in-searched', term );
			} );
	}

	document.querySelectorAll( 'select.wc-product-search' ).forEach( function ( select ) {
		var input = document.createElement( 'input' );
		var timer = null;
		input.type = 'search';
		input.className = 'wc-stand-in-product-search regular-text';
		input.placeholder = select.getAttribute( 'data-placeholder' ) || '';
		input.setAttribute( 'aria-label', input.placeholder );
		input.setAttribute( 'aria-controls', select.id );
		select.size = 4;
		select.parentNode.insertBefore( input, select );
		input.addEventListener( 'input', function () {
			clearTimeout( timer );
			timer = setTimeout( function () { search( select, input ); }, 250 );
		} );
	} );
} )();
