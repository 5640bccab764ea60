<?php

/** PrestaShop's Tools (classes/Tools.php): what the module calls. */
class Tools
{
    public static function getValue($key, $default_value = false)
    {
        return $_POST[$key] ?? $_GET[$key] ?? $default_value;
    }

    public static function isSubmit($submit)
    {
        return isset($_POST[$submit]) || isset($_GET[$submit]);
    }

    /** The shop's domain (PS_SHOP_DOMAIN_SSL); with $http, its scheme too (https unless PS_SSL_ENABLED is 0). */
    public static function getShopDomainSsl($http = false, $entities = false)
    {
        $domain = (string) Configuration::get('PS_SHOP_DOMAIN_SSL');
        return $http ? (Configuration::get('PS_SSL_ENABLED') === '0' ? 'http://' : 'https://') . $domain : $domain;
    }

    public static function file_get_contents($url, $use_include_path = false, $stream_context = null, $curl_timeout = 5, $fallback = false)
    {
        return @file_get_contents($url, false, stream_context_create(['http' => ['timeout' => $curl_timeout]]));
    }

    public static function redirectAdmin($url)
    {
        header('Location: ' . $url);
    }

    public static function redirect($url, $base_uri = '/', $link = null, $headers = null)
    {
        header('Location: ' . $url);
        exit;
    }
}
