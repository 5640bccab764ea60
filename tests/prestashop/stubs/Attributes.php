<?php

namespace PhpMcp\Server\Attributes {
    /** php-mcp/server's tool attribute (the one PrestaShop's MCP server reads): name, description, annotations. */
    #[\Attribute(\Attribute::TARGET_METHOD | \Attribute::TARGET_CLASS)]
    final class McpTool
    {
        public function __construct(public ?string $name = null, public ?string $description = null, public $annotations = null)
        {
        }
    }
}

namespace PhpMcp\Schema {
    /** MCP tool annotations (the hints the generator reads). */
    final class ToolAnnotations
    {
        public function __construct(public ?string $title = null, public ?bool $readOnlyHint = null, public ?bool $destructiveHint = null,
            public ?bool $idempotentHint = null, public ?bool $openWorldHint = null)
        {
        }
    }
}
