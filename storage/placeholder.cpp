int storage_placeholder = 0;
