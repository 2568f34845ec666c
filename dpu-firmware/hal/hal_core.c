/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HAL core: provider registry and the public entry points.  Every flow
 * call is structurally checked here once, so providers only add their own
 * (hardware-specific) restrictions.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dpu_hal.h"

#define HAL_MAX_CLASSES 8

struct dpu_hal_dev {
	const struct dpu_hal_class *cls;
	void *priv;
	bool owned;	/* opened by us: close() the provider too */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct dpu_hal_class *classes[HAL_MAX_CLASSES];

int
dpu_hal_register(const struct dpu_hal_class *cls)
{
	int ret = -ENOSPC;

	if (cls == NULL || cls->name == NULL)
		return -EINVAL;
	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < HAL_MAX_CLASSES; i++) {
		if (classes[i] != NULL && strcmp(classes[i]->name, cls->name) == 0) {
			ret = classes[i] == cls ? 0 : -EEXIST;
			goto out;
		}
	}
	for (int i = 0; i < HAL_MAX_CLASSES; i++) {
		if (classes[i] == NULL) {
			classes[i] = cls;
			ret = 0;
			break;
		}
	}
out:
	pthread_mutex_unlock(&reg_lock);
	return ret;
}

int
dpu_hal_unregister(const char *name)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < HAL_MAX_CLASSES; i++) {
		if (classes[i] != NULL && strcmp(classes[i]->name, name) == 0) {
			classes[i] = NULL;
			ret = 0;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	return ret;
}

const struct dpu_hal_class *
dpu_hal_find(const char *name)
{
	const struct dpu_hal_class *c = NULL;

	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < HAL_MAX_CLASSES; i++)
		if (classes[i] != NULL && strcmp(classes[i]->name, name) == 0)
			c = classes[i];
	pthread_mutex_unlock(&reg_lock);
	return c;
}

int
dpu_hal_open(const char *name, const char *args, struct dpu_hal_dev **devp,
	     struct dpu_hal_error *err)
{
	const struct dpu_hal_class *cls = dpu_hal_find(name);
	struct dpu_hal_dev *dev;
	void *priv = NULL;
	int ret;

	if (cls == NULL)
		return dpu_hal_set_error(err, -ENOENT, DPU_HAL_ERR_DEVICE, -1,
					 "no HAL provider named '%s'", name);
	if (cls->open == NULL)
		return dpu_hal_set_error(err, -ENOTSUP, DPU_HAL_ERR_DEVICE, -1,
					 "provider '%s' cannot be opened by name", name);
	ret = cls->open(args, &priv, err);
	if (ret < 0)
		return ret;
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL) {
		cls->close(priv);
		return dpu_hal_set_error(err, -ENOMEM, DPU_HAL_ERR_DEVICE, -1,
					 "out of memory");
	}
	dev->cls = cls;
	dev->priv = priv;
	dev->owned = true;
	*devp = dev;
	return 0;
}

int
dpu_hal_attach(const struct dpu_hal_class *cls, void *priv, struct dpu_hal_dev **devp)
{
	struct dpu_hal_dev *dev = calloc(1, sizeof(*dev));

	if (dev == NULL)
		return -ENOMEM;
	dev->cls = cls;
	dev->priv = priv;
	*devp = dev;
	return 0;
}

void
dpu_hal_close(struct dpu_hal_dev *dev)
{
	if (dev == NULL)
		return;
	if (dev->owned && dev->cls->close != NULL)
		dev->cls->close(dev->priv);
	free(dev);
}

void *
dpu_hal_priv(const struct dpu_hal_dev *dev)
{
	return dev->priv;
}

const struct dpu_hal_class *
dpu_hal_class_of(const struct dpu_hal_dev *dev)
{
	return dev->cls;
}

#define NEED_OP(dev, op, err)						\
	do {								\
		if ((dev) == NULL)					\
			return dpu_hal_set_error(err, -EINVAL,		\
				DPU_HAL_ERR_DEVICE, -1, "dev is NULL");	\
		if ((dev)->cls->op == NULL)				\
			return dpu_hal_set_error(err, -ENOTSUP,		\
				DPU_HAL_ERR_DEVICE, -1,			\
				"provider '%s' has no " #op,		\
				(dev)->cls->name);			\
	} while (0)

int
dpu_hal_caps(struct dpu_hal_dev *dev, struct dpu_hal_caps *caps)
{
	NEED_OP(dev, caps, NULL);
	return dev->cls->caps(dev->priv, caps);
}

int
dpu_hal_flow_validate(struct dpu_hal_dev *dev, const struct dpu_hal_attr *attr,
		      const struct dpu_hal_item *pattern,
		      const struct dpu_hal_action *actions, struct dpu_hal_error *err)
{
	int ret;

	NEED_OP(dev, validate, err);
	ret = dpu_hal_check_rule(attr, pattern, actions, err);
	if (ret < 0)
		return ret;
	return dev->cls->validate(dev->priv, attr, pattern, actions, err);
}

int
dpu_hal_flow_create(struct dpu_hal_dev *dev, const struct dpu_hal_attr *attr,
		    const struct dpu_hal_item *pattern,
		    const struct dpu_hal_action *actions,
		    struct dpu_hal_flow **flow, struct dpu_hal_error *err)
{
	int ret;

	NEED_OP(dev, create, err);
	ret = dpu_hal_check_rule(attr, pattern, actions, err);
	if (ret < 0)
		return ret;
	return dev->cls->create(dev->priv, attr, pattern, actions, flow, err);
}

int
dpu_hal_flow_destroy(struct dpu_hal_dev *dev, struct dpu_hal_flow *flow,
		     struct dpu_hal_error *err)
{
	NEED_OP(dev, destroy, err);
	if (flow == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_FLOW, -1,
					 "flow is NULL");
	return dev->cls->destroy(dev->priv, flow, err);
}

int
dpu_hal_flow_query_count(struct dpu_hal_dev *dev, struct dpu_hal_flow *flow,
			 bool reset, struct dpu_hal_count *out,
			 struct dpu_hal_error *err)
{
	NEED_OP(dev, query_count, err);
	if (flow == NULL || out == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_FLOW, -1,
					 "flow or out is NULL");
	return dev->cls->query_count(dev->priv, flow, reset, out, err);
}

int
dpu_hal_flow_flush(struct dpu_hal_dev *dev, struct dpu_hal_error *err)
{
	NEED_OP(dev, flush, err);
	return dev->cls->flush(dev->priv, err);
}

int
dpu_hal_aged_flows(struct dpu_hal_dev *dev, void **contexts, uint32_t n,
		   struct dpu_hal_error *err)
{
	NEED_OP(dev, aged_flows, err);
	return dev->cls->aged_flows(dev->priv, contexts, n, err);
}

int
dpu_hal_set_group_miss(struct dpu_hal_dev *dev, uint32_t group,
		       enum dpu_hal_miss miss, struct dpu_hal_error *err)
{
	NEED_OP(dev, set_group_miss, err);
	return dev->cls->set_group_miss(dev->priv, group, miss, err);
}

int
dpu_hal_async_create(struct dpu_hal_dev *dev, uint32_t queue,
		     const struct dpu_hal_attr *attr,
		     const struct dpu_hal_item *pattern,
		     const struct dpu_hal_action *actions, void *user_data,
		     struct dpu_hal_flow **flow, struct dpu_hal_error *err)
{
	int ret;

	NEED_OP(dev, async_create, err);
	ret = dpu_hal_check_rule(attr, pattern, actions, err);
	if (ret < 0)
		return ret;
	return dev->cls->async_create(dev->priv, queue, attr, pattern, actions,
				      user_data, flow, err);
}

int
dpu_hal_async_destroy(struct dpu_hal_dev *dev, uint32_t queue,
		      struct dpu_hal_flow *flow, void *user_data,
		      struct dpu_hal_error *err)
{
	NEED_OP(dev, async_destroy, err);
	if (flow == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_FLOW, -1,
					 "flow is NULL");
	return dev->cls->async_destroy(dev->priv, queue, flow, user_data, err);
}

int
dpu_hal_push(struct dpu_hal_dev *dev, uint32_t queue, struct dpu_hal_error *err)
{
	NEED_OP(dev, push, err);
	return dev->cls->push(dev->priv, queue, err);
}

int
dpu_hal_pull(struct dpu_hal_dev *dev, uint32_t queue, struct dpu_hal_op_result *res,
	     uint32_t n, struct dpu_hal_error *err)
{
	NEED_OP(dev, pull, err);
	return dev->cls->pull(dev->priv, queue, res, n, err);
}

int
dpu_hal_meter_create(struct dpu_hal_dev *dev, uint32_t meter_id,
		     const struct dpu_hal_meter_conf *conf, struct dpu_hal_error *err)
{
	NEED_OP(dev, meter_create, err);
	if (conf == NULL)
		return dpu_hal_set_error(err, -EINVAL, DPU_HAL_ERR_DEVICE, -1,
					 "meter conf is NULL");
	return dev->cls->meter_create(dev->priv, meter_id, conf, err);
}

int
dpu_hal_meter_destroy(struct dpu_hal_dev *dev, uint32_t meter_id,
		      struct dpu_hal_error *err)
{
	NEED_OP(dev, meter_destroy, err);
	return dev->cls->meter_destroy(dev->priv, meter_id, err);
}

int
dpu_hal_meter_stats(struct dpu_hal_dev *dev, uint32_t meter_id,
		    struct dpu_hal_meter_stats *st, struct dpu_hal_error *err)
{
	NEED_OP(dev, meter_stats, err);
	return dev->cls->meter_stats(dev->priv, meter_id, st, err);
}
