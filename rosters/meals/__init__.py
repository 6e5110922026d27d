"""Staff meal orders (员工订餐): models, services, selectors, forms and views."""
