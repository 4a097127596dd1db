/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-image-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "md-image-pane.h"

#define ZOOM_STEP 1.25

struct _MdImagePane
{
  GtkWidget          parent_instance;

  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkScrolledWindow *scroller;
  GtkPicture        *picture;
  GtkLabel          *placeholder_id;
  GtkLabel          *placeholder_message;

  char              *image_id;
  GdkTexture        *texture;
  char              *error;
  GCancellable      *cancellable;
  double             zoom;
  gboolean           loaded;
};

G_DEFINE_FINAL_TYPE (MdImagePane, md_image_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_IMAGE_ID,
  PROP_TEXTURE,
  PROP_LOADED,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loaded (MdImagePane *self,
            gboolean     loaded)
{
  if (self->loaded == loaded)
    return;
  self->loaded = loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
update_picture_size (MdImagePane *self)
{
  if (self->texture == NULL || self->zoom <= 0)
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
      gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_NEVER);
      return;
    }

  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                               (int) ceil (gdk_texture_get_width (self->texture) * self->zoom),
                               (int) ceil (gdk_texture_get_height (self->texture) * self->zoom));
}

static void
show_texture (MdImagePane *self,
              GdkTexture  *texture)
{
  g_set_object (&self->texture, texture);
  g_clear_pointer (&self->error, g_free);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  update_picture_size (self);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "image");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
  set_loaded (self, TRUE);
}

static void
show_error (MdImagePane *self,
            const char  *message)
{
  g_clear_object (&self->texture);
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_label_set_text (self->placeholder_id, self->image_id);
  gtk_label_set_text (self->placeholder_message, message);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "placeholder");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
  set_loaded (self, TRUE);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MdImagePane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = md_image_loader_load_finish (MD_IMAGE_LOADER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture != NULL)
    show_texture (self, texture);
  else
    show_error (self, error->message);
}

void
md_image_pane_set_image (MdImagePane   *self,
                         MdImageLoader *loader,
                         const char    *image_id)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (MD_IS_IMAGE_PANE (self));
  g_return_if_fail (image_id == NULL || MD_IS_IMAGE_LOADER (loader));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (g_strcmp0 (self->image_id, image_id) != 0)
    {
      g_free (self->image_id);
      self->image_id = g_strdup (image_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_ID]);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), image_id);

  if (image_id == NULL)
    {
      g_clear_object (&self->texture);
      g_clear_pointer (&self->error, g_free);
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_loaded (self, FALSE);
      return;
    }

  /* A prefetched image is shown in this very frame. */
  texture = md_image_loader_lookup (loader, image_id);
  if (texture != NULL)
    {
      show_texture (self, texture);
      return;
    }

  set_loaded (self, FALSE);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->cancellable = g_cancellable_new ();
  md_image_loader_load_async (loader, image_id, self->cancellable, on_loaded,
                              g_object_ref (self));
}

const char *
md_image_pane_get_image_id (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), NULL);
  return self->image_id;
}

GdkTexture *
md_image_pane_get_texture (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), NULL);
  return self->texture;
}

const char *
md_image_pane_get_error (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), NULL);
  return self->error;
}

gboolean
md_image_pane_get_loaded (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), FALSE);
  return self->loaded;
}

double
md_image_pane_get_zoom (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), 0);
  return self->zoom;
}

void
md_image_pane_set_zoom (MdImagePane *self,
                        double       zoom)
{
  g_return_if_fail (MD_IS_IMAGE_PANE (self));

  if (zoom > 0)
    zoom = CLAMP (zoom, MD_IMAGE_PANE_MIN_ZOOM, MD_IMAGE_PANE_MAX_ZOOM);
  else
    zoom = 0;
  if (fabs (self->zoom - zoom) < 1e-6)
    return;

  self->zoom = zoom;
  update_picture_size (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* The scale at which the image currently fits, the starting point when zooming from "fit". */
static double
fit_scale (MdImagePane *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  int texture_width;
  int texture_height;

  if (self->texture == NULL || width <= 0 || height <= 0)
    return 1.0;
  texture_width = gdk_texture_get_width (self->texture);
  texture_height = gdk_texture_get_height (self->texture);
  return MIN ((double) width / texture_width, (double) height / texture_height);
}

void
md_image_pane_zoom_in (MdImagePane *self)
{
  g_return_if_fail (MD_IS_IMAGE_PANE (self));
  md_image_pane_set_zoom (self, (self->zoom > 0 ? self->zoom : fit_scale (self)) * ZOOM_STEP);
}

void
md_image_pane_zoom_out (MdImagePane *self)
{
  double fit = fit_scale (self);
  double zoom;

  g_return_if_fail (MD_IS_IMAGE_PANE (self));

  zoom = (self->zoom > 0 ? self->zoom : fit) / ZOOM_STEP;
  /* Smaller than the fit adds nothing: snap back to fit. */
  md_image_pane_set_zoom (self, zoom <= fit ? 0 : zoom);
}

GtkAdjustment *
md_image_pane_get_hadjustment (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), NULL);
  return gtk_scrolled_window_get_hadjustment (self->scroller);
}

GtkAdjustment *
md_image_pane_get_vadjustment (MdImagePane *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_PANE (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           MdImagePane              *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if ((state & GDK_CONTROL_MASK) == 0 || self->texture == NULL)
    return FALSE;

  if (dy < 0)
    md_image_pane_zoom_in (self);
  else if (dy > 0)
    md_image_pane_zoom_out (self);
  return TRUE;
}

GtkWidget *
md_image_pane_new (void)
{
  return g_object_new (MD_TYPE_IMAGE_PANE, NULL);
}

static void
md_image_pane_dispose (GObject *object)
{
  MdImagePane *self = MD_IMAGE_PANE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_IMAGE_PANE);
  /* Unbound top-level template children are not removed by dispose_template() in GTK 4.8. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (md_image_pane_parent_class)->dispose (object);
}

static void
md_image_pane_finalize (GObject *object)
{
  MdImagePane *self = MD_IMAGE_PANE (object);

  g_free (self->image_id);
  g_free (self->error);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (md_image_pane_parent_class)->finalize (object);
}

static void
md_image_pane_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MdImagePane *self = MD_IMAGE_PANE (object);

  switch (prop_id)
    {
    case PROP_IMAGE_ID:
      g_value_set_string (value, self->image_id);
      break;
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_image_pane_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MdImagePane *self = MD_IMAGE_PANE (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      md_image_pane_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_image_pane_class_init (MdImagePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_image_pane_dispose;
  object_class->finalize = md_image_pane_finalize;
  object_class->get_property = md_image_pane_get_property;
  object_class->set_property = md_image_pane_set_property;

  properties[PROP_IMAGE_ID] =
    g_param_spec_string ("image-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MD_IMAGE_PANE_MAX_ZOOM, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-image-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, stack);
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, spinner);
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, scroller);
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, picture);
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, placeholder_id);
  gtk_widget_class_bind_template_child (widget_class, MdImagePane, placeholder_message);
  gtk_widget_class_set_css_name (widget_class, "md-image-pane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
md_image_pane_init (MdImagePane *self)
{
  GtkEventController *scroll;

  gtk_widget_init_template (GTK_WIDGET (self));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}
