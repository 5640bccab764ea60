<?php

/**
 * PrestaShop's ModuleFrontController (classes/controller/ModuleFrontController.php)
 * and the part of Controller (classes/controller/Controller.php) a module's
 * API controller meets: the constructor sets $ajax from the request; run() is
 * init, postProcess, initContent, then displayAjax() when $ajax is set, else display().
 */
abstract class ModuleFrontController
{
    public $module;
    public $context;
    public $ajax = false;
    public $ssl = false;
    public $auth = false;
    protected $content_only = false;

    public function __construct()
    {
        $this->context = Context::getContext();
        // As Controller::__construct() does: a subclass's `$ajax = true` default is overwritten here.
        $this->ajax = Tools::getValue('ajax') || Tools::isSubmit('ajax');
        $this->module = Module::getInstanceByName(Tools::getValue('module'));
    }

    public function init()
    {
        if (!$this->module->active) {
            Tools::redirect('index');
        }
    }

    public function postProcess()
    {
    }

    public function initContent()
    {
    }

    public function display()
    {
        return true;
    }

    public function run()
    {
        $this->init();
        $this->postProcess();
        $this->initContent();
        if ($this->ajax && method_exists($this, 'displayAjax')) {
            $this->displayAjax();
        } else {
            $this->display();
        }
    }
}
