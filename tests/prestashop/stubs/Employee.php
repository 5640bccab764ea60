<?php

/**
 * PrestaShop's Cookie and Employee (classes/Cookie.php, classes/Employee.php),
 * as far as "who is signed in to the back office" goes. PrestaShop's psAdmin
 * cookie is encrypted with the shop's key; this stand-in reads the employee id
 * from a plain `test_psAdmin` cookie the tests set: a stand-in for the
 * signed-in session, not a way to sign in anywhere real.
 */
class Cookie
{
    public $id_employee = 0;

    private bool $writable = true;

    public function __construct($name, $path = '', $expire = null, $shared_urls = null, $standalone = false, $secure = false)
    {
        $this->id_employee = (int) ($_COOKIE['test_' . $name] ?? 0);
    }

    public function disallowWriting()
    {
        $this->writable = false;
    }

    /** PrestaShop checks the cookie's password hash (and session) against the employee's row; here: a known employee. */
    public function isLoggedBack()
    {
        return $this->id_employee > 0 && (new Employee($this->id_employee))->id === $this->id_employee;
    }
}

class Employee
{
    public $id = 0;
    public $email = '';
    public $firstname = '';
    public $lastname = '';

    public function __construct($id = null, $idLang = null, $idShop = null)
    {
        $row = Db::getInstance()->getRow('SELECT * FROM ' . _DB_PREFIX_ . 'employee WHERE id_employee = ' . (int) $id);
        if (is_array($row)) {
            $this->id = (int) $row['id_employee'];
            $this->email = $row['email'];
            $this->firstname = $row['firstname'];
            $this->lastname = $row['lastname'];
        }
    }
}
