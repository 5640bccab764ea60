<?php

// A stand-in for PrestaShop Accounts' JWKS endpoint (php -S router): the document of MCPG_JWKS_FILE, counted in MCPG_JWKS_FILE.hits.
file_put_contents(getenv('MCPG_JWKS_FILE') . '.hits', "x", FILE_APPEND);
header('Content-Type: application/json');
readfile((string) getenv('MCPG_JWKS_FILE'));
return true;
