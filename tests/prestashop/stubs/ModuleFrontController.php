<?php

/**
 * PrestaShop's ModuleFrontController (classes/controller/ModuleFrontController.php)
 * and the part of Controller::run() a module's API controller meets: init,
 * postProcess, initContent, then displayAjax() when $ajax is set, else display().
 */
abstract class ModuleFrontController
{
    public $module;
    public $context;
    public $ajax = false;
    public $ssl = false;
    public $auth = false;

    public function __construct()
    {
        $this->module = Module::getInstanceByName(Tools::getValue('module'));
        $this->context = Context::getContext();
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
