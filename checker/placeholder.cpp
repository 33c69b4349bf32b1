int checker_core_placeholder = 0;
