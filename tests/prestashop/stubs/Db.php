<?php

/**
 * PrestaShop's Db (classes/db/Db.php): the shop's connection, one per
 * process, queries as SQL text. execute() returns false on an SQL error, as
 * PrestaShop does without _PS_DEBUG_SQL_ (the error is kept in getMsgError()).
 */
class PrestaShopDatabaseException extends Exception
{
}

class Db
{
    private static ?Db $instance = null;
    private PDO $link;
    private string $error = '';

    public static function getInstance($master = true)
    {
        if (self::$instance === null) {
            [$host, $port] = array_pad(explode(':', _DB_SERVER_, 2), 2, '');
            $where = str_starts_with($port, '/') ? "unix_socket={$port}" : "host={$host}" . ($port !== '' ? ";port={$port}" : '');
            self::$instance = new self(new PDO("mysql:{$where};dbname=" . _DB_NAME_ . ';charset=utf8mb4', _DB_USER_, _DB_PASSWD_,
                [PDO::ATTR_ERRMODE => PDO::ERRMODE_SILENT]));
        }
        return self::$instance;
    }

    private function __construct(PDO $link)
    {
        $this->link = $link;
    }

    public function execute($sql, $use_cache = true)
    {
        $ok = $this->link->exec((string) $sql) !== false;
        $this->error = $ok ? '' : (string) ($this->link->errorInfo()[2] ?? '');
        return $ok;
    }

    public function executeS($sql, $array = true, $use_cache = true)
    {
        $st = $this->link->query((string) $sql);
        $this->error = $st === false ? (string) ($this->link->errorInfo()[2] ?? '') : '';
        return $st === false ? false : $st->fetchAll(PDO::FETCH_ASSOC);
    }

    public function getRow($sql, $use_cache = true)
    {
        $rows = $this->executeS($sql . ' LIMIT 1');
        return is_array($rows) && $rows !== [] ? $rows[0] : false;
    }

    public function getValue($sql, $use_cache = true)
    {
        $row = $this->getRow($sql, $use_cache);
        return $row === false ? false : array_shift($row);
    }

    public function escape($string, $html_ok = false, $bq_sql = false)
    {
        return substr((string) $this->link->quote((string) $string), 1, -1);
    }

    public function getMsgError()
    {
        return $this->error;
    }
}

function pSQL($string, $htmlOK = false)
{
    return Db::getInstance()->escape($string, $htmlOK);
}
